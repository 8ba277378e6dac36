/// The HTML page around a report's sections: one self-contained file with
/// its style sheet inline, no scripts, fonts, images or links to fetch.
enum PageTemplate {
  /// The whole page; `body` is already-escaped markup.
  static func page(title: String, body: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="generator" content="edgesim report">
    <title>\(Escaping.text(title))</title>
    <style>
    \(style)
    </style>
    </head>
    <body>
    \(body)
    <footer>Written by edgesim report. Hover over a bar or point for its figures. Every chart is inline SVG; the page needs no network.</footer>
    </body>
    </html>

    """
  }

  /// The style sheet, shared by every report.
  static let style = """
    body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#222;margin:24px auto;max-width:1140px;padding:0 16px}
    h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 6px;border-bottom:1px solid #ddd;padding-bottom:3px}
    p.lead{color:#555;margin:0 0 12px}p.explain{color:#444;margin:4px 0 8px;max-width:900px}
    table{border-collapse:collapse;font-size:13px;margin:6px 0}th,td{border:1px solid #ddd;padding:3px 7px;text-align:left;vertical-align:top}
    th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
    table.facts td:first-child{color:#555}
    svg.chart{display:block;max-width:100%;height:auto;margin:6px 0 10px;font-family:inherit}
    .grid{stroke:#e6e6e6;stroke-width:1}.frame{fill:none;stroke:#999}.axisline{stroke:#999}
    .tick{font-size:11px;fill:#555}.axis{font-size:12px;fill:#333}.label{font-size:11px;fill:#333}
    .legend{font-size:12px;fill:#333}.inbar{font-size:11px;fill:#fff}.note{font-size:11px;fill:#444}
    .band0{fill:#c9d6e8}.band1{fill:#9fb6d6}.seg{stroke:#fff;stroke-width:.5}
    .roof{fill:none;stroke:#222;stroke-width:2}.ridge{stroke:#222;stroke-dasharray:3 3}
    .ceiling{stroke:#777;stroke-dasharray:6 4}.strip{fill:#f6f6f6;stroke:#ccc}
    .pt{stroke:#fff;stroke-width:1;fill-opacity:.9}.front{stroke:#000;stroke-width:1.5}
    .front2d{fill:none;stroke:#444;stroke-width:1.2;stroke-dasharray:4 3}
    .chosen{fill:none;stroke:#d62728;stroke-width:2.5}.chosenlabel{font-size:12px;font-weight:bold;fill:#d62728}
    h3{font-size:14px;font-weight:600;margin:12px 0 0}
    footer{color:#777;font-size:12px;margin-top:30px}
    """

  /// A table; cells are already-escaped markup, `numeric` columns are
  /// right-aligned; an empty header draws no header row.
  static func table(
    header: [String], rows: [[String]], numeric: Set<Int> = [],
    class cls: String? = nil
  ) -> String {
    var out = cls.map { "<table class=\"\($0)\">" } ?? "<table>"
    if !header.isEmpty {
      out +=
        "<tr>" + header.map { "<th>\(Escaping.text($0))</th>" }.joined()
        + "</tr>\n"
    }
    for row in rows {
      out += "<tr>"
      for (i, cell) in row.enumerated() {
        out +=
          numeric.contains(i)
          ? "<td class=\"n\">\(cell)</td>" : "<td>\(cell)</td>"
      }
      out += "</tr>\n"
    }
    return out + "</table>\n"
  }

  /// A heading, an explanation (plain text, escaped here) and content
  /// (markup).
  static func section(_ heading: String, explain: String, _ content: String)
    -> String
  {
    "<section>\n<h2>\(Escaping.text(heading))</h2>\n<p class=\"explain\">\(Escaping.text(explain))</p>\n\(content)\n</section>\n"
  }
}
