import CCairo
import Foundation

/// A cairo image surface with the few drawing operations plots need, in CSS pixels (the
/// surface is `scale` times larger, for high-density screens). Text uses a real font through
/// fontconfig (DejaVu Sans, Debian's fonts-dejavu-core), anti-aliased.
final class PlotCanvas {
    let width: Double
    let height: Double
    let scale: Double
    private let surface: OpaquePointer
    private let cr: OpaquePointer

    static let fontFamily = "DejaVu Sans"

    init(width: Int, height: Int, scale: Double) {
        self.width = Double(width)
        self.height = Double(height)
        self.scale = scale
        surface = cairo_image_surface_create(
            CAIRO_FORMAT_ARGB32, Int32((Double(width) * scale).rounded()), Int32((Double(height) * scale).rounded()))
        cr = cairo_create(surface)
        cairo_scale(cr, scale, scale)
        fill(x: 0, y: 0, width: Double(width), height: Double(height), colour: PlotColour(red: 1, green: 1, blue: 1))
    }

    deinit {
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
    }

    func fill(x: Double, y: Double, width: Double, height: Double, colour: PlotColour) {
        setColour(colour)
        cairo_rectangle(cr, x, y, width, height)
        cairo_fill(cr)
    }

    func line(from a: (Double, Double), to b: (Double, Double), colour: PlotColour, width: Double = 1, dash: Bool = false) {
        setColour(colour)
        cairo_set_line_width(cr, width)
        if dash {
            var pattern: [Double] = [4, 3]
            cairo_set_dash(cr, &pattern, 2, 0)
        }
        cairo_move_to(cr, a.0, a.1)
        cairo_line_to(cr, b.0, b.1)
        cairo_stroke(cr)
        cairo_set_dash(cr, nil, 0, 0)
    }

    func polyline(_ points: [(Double, Double)], colour: PlotColour, width: Double = 1.5) {
        guard let first = points.first else { return }
        setColour(colour)
        cairo_set_line_width(cr, width)
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        cairo_move_to(cr, first.0, first.1)
        for p in points.dropFirst() { cairo_line_to(cr, p.0, p.1) }
        cairo_stroke(cr)
    }

    enum Anchor {
        case start
        case middle
        case end
    }

    /// Draws `text` with its baseline at `y`; `rotated` turns it 90° anticlockwise about (x, y).
    func text(
        _ text: String, x: Double, y: Double, size: Double = 11, bold: Bool = false, anchor: Anchor = .start,
        colour: PlotColour = PlotColour(hex: "#222222"), rotated: Bool = false
    ) {
        cairo_save(cr)
        setColour(colour)
        cairo_select_font_face(
            cr, Self.fontFamily, CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, size)
        var extents = cairo_text_extents_t()
        cairo_text_extents(cr, text, &extents)
        let shift: Double
        switch anchor {
        case .start: shift = 0
        case .middle: shift = extents.x_advance / 2
        case .end: shift = extents.x_advance
        }
        cairo_translate(cr, x, y)
        if rotated { cairo_rotate(cr, -Double.pi / 2) }
        cairo_move_to(cr, -shift, 0)
        cairo_show_text(cr, text)
        cairo_restore(cr)
    }

    /// Width of `text` at `size`.
    func textWidth(_ text: String, size: Double = 11) -> Double {
        cairo_select_font_face(cr, Self.fontFamily, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, size)
        var extents = cairo_text_extents_t()
        cairo_text_extents(cr, text, &extents)
        return extents.x_advance
    }

    /// The pixels as straight (not premultiplied) 8-bit RGBA, rows top to bottom.
    func rgba() -> (width: Int, height: Int, bytes: [UInt8]) {
        cairo_surface_flush(surface)
        let w = Int(cairo_image_surface_get_width(surface))
        let h = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard let data = cairo_image_surface_get_data(surface) else { return (w, h, []) }
        // Every byte is written below: no zeroing first (2.6 MB a plot at scale 2).
        let out = [UInt8](unsafeUninitializedCapacity: w * h * 4) { out, initialized in
            initialized = w * h * 4
            for y in 0..<h {
                let row = data.advanced(by: y * stride).withMemoryRebound(to: UInt32.self, capacity: w) { $0 }
                for x in 0..<w {
                    // CAIRO_FORMAT_ARGB32: one native-endian 32-bit word, alpha premultiplied.
                    let pixel = row[x]
                    let a = UInt32((pixel >> 24) & 0xFF)
                    let o = (y * w + x) * 4
                    if a == 255 {
                        // Opaque (nearly every pixel of a plot): the division below gives
                        // each channel back unchanged, (255 c + 127) / 255 = c.
                        out[o] = UInt8(truncatingIfNeeded: pixel >> 16)
                        out[o + 1] = UInt8(truncatingIfNeeded: pixel >> 8)
                        out[o + 2] = UInt8(truncatingIfNeeded: pixel)
                        out[o + 3] = 255
                        continue
                    }
                    func straight(_ c: UInt32) -> UInt8 { a == 0 ? 0 : UInt8(min(255, (c * 255 + a / 2) / a)) }
                    out[o] = straight((pixel >> 16) & 0xFF)
                    out[o + 1] = straight((pixel >> 8) & 0xFF)
                    out[o + 2] = straight(pixel & 0xFF)
                    out[o + 3] = UInt8(a)
                }
            }
        }
        return (w, h, out)
    }

    private func setColour(_ c: PlotColour) {
        cairo_set_source_rgb(cr, c.red, c.green, c.blue)
    }
}
