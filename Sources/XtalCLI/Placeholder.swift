public enum XtalCLIPlaceholder {}
