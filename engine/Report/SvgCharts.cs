using System.Net;
using System.Text;

namespace SSIS.Batch.Engine.Report;

/// <summary>A point of a scatter plot: its place, fill colour and the text shown on hover.</summary>
public sealed record ScatterPoint(double X, double Y, string Colour, string Title);

/// <summary>A line of a line chart: its name in the legend, colour and points in order.</summary>
public sealed record LineSeries(string Name, string Colour, IReadOnlyList<(double X, double Y)> Points, bool Dashed = false);

/// <summary>
/// Hand-made inline SVG charts: the report needs no script, font or stylesheet from anywhere, and a chart costs a few
/// hundred bytes plus one element per bar or point. All text is HTML-encoded.
/// </summary>
public static class SvgCharts
{
    /// <summary>Qualitative colours (Tableau 10), for categories in order of size; the last category beyond them is grey.</summary>
    public static readonly IReadOnlyList<string> Palette =
        ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f"];

    public const string OtherColour = "#bab0ac";

    private const int LabelWidth = 170;

    /// <summary>From the bottom of a plot to its legend's first line: below the tick labels and the axis title.</summary>
    private const int LegendGap = 52;

    /// <summary>Horizontal bars, one per label, with the value printed at the bar's end.</summary>
    public static string Bars(string title, IReadOnlyList<(string Label, double Value)> bars, string valueFormat = "0.##", string unit = "")
    {
        const int rowHeight = 22, width = 560, top = 28;
        var height = top + bars.Count * rowHeight + 8;
        var max = bars.Count == 0 ? 1 : Math.Max(bars.Max(b => b.Value), 1e-12);
        var plotWidth = width - LabelWidth - 70;
        var svg = Open(title, width, height);
        svg.Append(Text(8, 18, title, "t"));
        for (var i = 0; i < bars.Count; i++)
        {
            var (label, value) = bars[i];
            var y = top + i * rowHeight;
            var w = Math.Max(value / max * plotWidth, value > 0 ? 1 : 0);
            svg.Append(Text(LabelWidth - 6, y + 15, Shorten(label, 26), "l", anchor: "end"));
            svg.Append($"<rect x=\"{LabelWidth}\" y=\"{y + 3}\" width=\"{N(w)}\" height=\"{rowHeight - 6}\" fill=\"{Palette[0]}\"><title>{Encode(label)}: {Encode(value.ToString(valueFormat))}{Encode(unit)}</title></rect>");
            svg.Append(Text(LabelWidth + w + 4, y + 15, value.ToString(valueFormat) + unit, "v"));
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>A histogram of <paramref name="values"/> in <paramref name="bins"/> equal bins over [min, max] (values outside go to the end bins).</summary>
    public static string Histogram(string title, IReadOnlyList<double> values, int bins, double min, double max, string axisLabel, double? marker = null,
        string? markerLabel = null)
    {
        var counts = new int[bins];
        foreach (var v in values)
            counts[Math.Clamp((int)Math.Floor((v - min) / (max - min) * bins), 0, bins - 1)]++;
        const int width = 560, height = 260;
        var frame = new Frame(width, height, min, max, 0, CountAxisTop(counts.Max()));
        var svg = Open(title, width, height);
        svg.Append(Text(8, 18, title, "t"));
        frame.Axes(svg, axisLabel, "tracks", integerY: true);
        var binWidth = (max - min) / bins;
        for (var b = 0; b < bins; b++)
        {
            if (counts[b] == 0) continue;
            var x0 = frame.X(min + b * binWidth);
            var x1 = frame.X(min + (b + 1) * binWidth);
            var y = frame.Y(counts[b]);
            svg.Append($"<rect x=\"{N(x0 + 0.5)}\" y=\"{N(y)}\" width=\"{N(Math.Max(x1 - x0 - 1, 1))}\" height=\"{N(frame.Y(0) - y)}\" fill=\"{Palette[0]}\">" +
                       $"<title>{Encode($"{min + b * binWidth:0.###} – {min + (b + 1) * binWidth:0.###}: {counts[b]} tracks")}</title></rect>");
        }
        if (marker is { } m)
        {
            svg.Append($"<line x1=\"{N(frame.X(m))}\" x2=\"{N(frame.X(m))}\" y1=\"{frame.Top}\" y2=\"{N(frame.Y(0))}\" stroke=\"{Palette[2]}\" stroke-dasharray=\"4 3\"/>");
            if (markerLabel is not null) svg.Append(Text(frame.X(m) + 4, frame.Top + 12, markerLabel, "v"));
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>
    /// A scatter plot with a legend of (label, colour) below it. The axes end 3 interquartile ranges beyond the
    /// quartiles (Tukey's far-out fences), so one outlier does not squeeze the rest into a corner; points beyond are
    /// drawn on the edge, ringed, and their hover text says so.
    /// </summary>
    public static string Scatter(string title, IReadOnlyList<ScatterPoint> points, IReadOnlyList<(string Label, string Colour)> legend,
        string axisX, string axisY)
    {
        // The plot keeps its size whatever the legend's length, so plots side by side line up.
        const int width = 380, plotHeight = 330;
        var height = plotHeight + legend.Count * 16 + 16;
        var (minX, maxX) = Span(points.Select(p => p.X));
        var (minY, maxY) = Span(points.Select(p => p.Y));
        var frame = new Frame(width, plotHeight, minX, maxX, minY, maxY);
        var svg = Open(title, width, height);
        svg.Append(Text(8, 18, title, "t"));
        frame.Axes(svg, axisX, axisY, integerY: false, ticks: false);
        foreach (var p in points)
        {
            var (x, y) = (Math.Clamp(p.X, minX, maxX), Math.Clamp(p.Y, minY, maxY));
            var outside = x != p.X || y != p.Y;
            svg.Append($"<circle cx=\"{N(frame.X(x))}\" cy=\"{N(frame.Y(y))}\" r=\"4\" fill=\"{p.Colour}\" fill-opacity=\"0.85\"" +
                       (outside ? " stroke=\"#222\"" : "") + $"><title>{Encode(outside ? p.Title + " (outlier, drawn on the edge)" : p.Title)}</title></circle>");
        }
        for (var i = 0; i < legend.Count; i++)
        {
            var y = frame.Bottom + LegendGap + i * 16;
            svg.Append($"<circle cx=\"{frame.Left + 5}\" cy=\"{y - 4}\" r=\"5\" fill=\"{legend[i].Colour}\"/>");
            svg.Append(Text(frame.Left + 14, y, Shorten(legend[i].Label, 48), "l"));
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>Lines over [0, 1] × [0, 1] (ROC, calibration), with the diagonal for reference and a legend.</summary>
    public static string UnitLines(string title, IReadOnlyList<LineSeries> series, string axisX, string axisY)
    {
        const int width = 400, height = 380;
        var frame = new Frame(width, height - series.Count * 16 - 16, 0, 1, 0, 1);
        var svg = Open(title, width, height);
        svg.Append(Text(8, 18, title, "t"));
        frame.Axes(svg, axisX, axisY, integerY: false);
        svg.Append($"<line x1=\"{N(frame.X(0))}\" y1=\"{N(frame.Y(0))}\" x2=\"{N(frame.X(1))}\" y2=\"{N(frame.Y(1))}\" stroke=\"#999\" stroke-dasharray=\"3 3\"/>");
        for (var i = 0; i < series.Count; i++)
        {
            var s = series[i];
            var dash = s.Dashed ? " stroke-dasharray=\"6 3\"" : "";
            svg.Append($"<polyline fill=\"none\" stroke=\"{s.Colour}\" stroke-width=\"2\"{dash} points=\"{string.Join(' ', s.Points.Select(p => $"{N(frame.X(p.X))},{N(frame.Y(p.Y))}"))}\"><title>{Encode(s.Name)}</title></polyline>");
            // A line of a few points shows them, so a single point is still seen.
            if (s.Points.Count <= 20)
                foreach (var p in s.Points)
                    svg.Append($"<circle cx=\"{N(frame.X(p.X))}\" cy=\"{N(frame.Y(p.Y))}\" r=\"3\" fill=\"{s.Colour}\"><title>{Encode($"{s.Name}: {p.X:0.###}, {p.Y:0.###}")}</title></circle>");
            var y = frame.Bottom + LegendGap + i * 16;
            svg.Append($"<line x1=\"{frame.Left}\" x2=\"{frame.Left + 16}\" y1=\"{y - 4}\" y2=\"{y - 4}\" stroke=\"{s.Colour}\" stroke-width=\"2\"{dash}/>");
            svg.Append(Text(frame.Left + 22, y, s.Name, "l"));
        }
        return svg.Append("</svg>").ToString();
    }

    public static string Encode(string text) => WebUtility.HtmlEncode(text);

    /// <summary>The top of a count axis with four whole, round ticks: 4 × (1, 2 or 5 × 10ᵏ), at least <paramref name="count"/>.</summary>
    public static int CountAxisTop(int count)
    {
        var step = 1;
        while (4 * step < count)
            step = step.ToString()[0] switch { '1' => step * 2, '2' => step / 2 * 5, _ => step * 2 };
        return 4 * step;
    }

    private static StringBuilder Open(string title, int width, int height) =>
        new($"<svg viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{Encode(title)}\">");

    private static string Text(double x, double y, string text, string cssClass, string anchor = "start") =>
        $"<text x=\"{N(x)}\" y=\"{N(y)}\" class=\"{cssClass}\" text-anchor=\"{anchor}\">{Encode(text)}</text>";

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    private static (double Min, double Max) Span(IEnumerable<double> values)
    {
        var list = values.Order().ToList();
        if (list.Count == 0) return (-1, 1);
        var (q1, q3) = (list[(list.Count - 1) / 4], list[3 * (list.Count - 1) / 4]);
        var (min, max) = (Math.Max(list[0], q1 - 3 * (q3 - q1)), Math.Min(list[^1], q3 + 3 * (q3 - q1)));
        var pad = max > min ? (max - min) * 0.05 : 1;
        return (min - pad, max + pad);
    }

    /// <summary>Coordinates with two decimals at most: enough for a screen, and the file stays small.</summary>
    private static string N(double value) => Math.Round(value, 2).ToString("0.##");

    /// <summary>The plotting area of a chart and its mapping from data to SVG coordinates.</summary>
    private sealed class Frame(int width, int height, double minX, double maxX, double minY, double maxY)
    {
        public int Left => 52;
        public int Top => 30;
        public int Right => width - 14;
        public int Bottom => height - 40;

        public double X(double x) => Left + (x - minX) / (maxX - minX) * (Right - Left);
        public double Y(double y) => Bottom - (y - minY) / (maxY - minY) * (Bottom - Top);

        public void Axes(StringBuilder svg, string axisX, string axisY, bool integerY, bool ticks = true)
        {
            svg.Append($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Right - Left}\" height=\"{Bottom - Top}\" fill=\"none\" stroke=\"#ccc\"/>");
            if (ticks)
            {
                for (var i = 0; i <= 4; i++)
                {
                    var vx = minX + (maxX - minX) * i / 4;
                    svg.Append(Text(X(vx), Bottom + 14, vx.ToString(Math.Abs(maxX - minX) >= 20 ? "0" : "0.##"), "v", anchor: "middle"));
                    var vy = minY + (maxY - minY) * i / 4;
                    svg.Append(Text(Left - 4, Y(vy) + 4, vy.ToString(integerY ? "0" : "0.##"), "v", anchor: "end"));
                    svg.Append($"<line x1=\"{Left}\" x2=\"{Right}\" y1=\"{N(Y(vy))}\" y2=\"{N(Y(vy))}\" stroke=\"#eee\"/>");
                }
            }
            svg.Append(Text((Left + Right) / 2.0, Bottom + 30, axisX, "l", anchor: "middle"));
            svg.Append($"<text class=\"l\" text-anchor=\"middle\" transform=\"translate(14 {N((Top + Bottom) / 2.0)}) rotate(-90)\">{Encode(axisY)}</text>");
        }
    }
}
