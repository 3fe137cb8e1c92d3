public enum XtalExamplePlaceholder {}
