using System.Globalization;
using System.Text;

namespace SSIS.Batch.Jobs.Progress;

/// <summary>
/// One stage as one line of fixed columns — name, bar, n/N, cache hits, rate, time left (or taken) — so the lines of a
/// display align and fit the width given (80 columns or more; the bar takes what the other columns leave).
/// </summary>
public static class ProgressLine
{
    private const int NameWidth = 17, CountWidth = 13, CachedWidth = 13, RateWidth = 9, TimeWidth = 11, MinimumBar = 6;

    /// <summary>The columns other than the bar, with the spaces between them.</summary>
    public const int FixedWidth = NameWidth + 1 + 1 + CountWidth + 1 + CachedWidth + 1 + RateWidth + 1 + TimeWidth;

    public static string Format(StageSnapshot s, int width, bool bar = true)
    {
        var line = new StringBuilder(width);
        line.Append(Fit(s.Name, NameWidth)).Append(' ');
        if (bar) line.Append(Bar(s, Math.Max(MinimumBar, width - FixedWidth)));
        line.Append(' ').Append($"{Count(s.Done)}/{Count(s.Total)}".PadLeft(CountWidth));
        line.Append(' ').Append((s.Cached > 0 ? $"{Count(s.Cached)} cached" : "").PadLeft(CachedWidth));
        var rate = s.RatePerSecond is { } r ? $"{Rate(r)}/s" : s.Cached > 0 && s.Worked == 0 ? "no work" : "";
        line.Append(' ').Append(rate.PadLeft(RateWidth));
        var time = s.Finished ? $"in {Duration(s.Elapsed)}" : s.Remaining is { } left ? $"ETA {Duration(left)}" : "";
        line.Append(' ').Append(time.PadLeft(TimeWidth));
        return line.ToString();
    }

    private static string Fit(string text, int width) => text.Length <= width ? text.PadRight(width) : text[..(width - 1)] + "…";

    private static string Bar(StageSnapshot s, int width)
    {
        var filled = s.Total <= 0 ? (s.Finished ? width : 0) : (int)Math.Round((double)Math.Min(s.Done, s.Total) / s.Total * width);
        return new string('█', filled) + new string('░', width - filled);
    }

    /// <summary>A count in at most 6 characters: 12,345 then 123k then 12.3M.</summary>
    public static string Count(int n) => n switch
    {
        < 100_000 => n.ToString("N0", CultureInfo.InvariantCulture),
        < 10_000_000 => string.Create(CultureInfo.InvariantCulture, $"{n / 1000}k"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{n / 1e6:0.0}M"),
    };

    /// <summary>A rate in at most 7 characters: 1.23, 123.4, 12,345, then 123k.</summary>
    public static string Rate(double perSecond) => perSecond switch
    {
        < 10 => perSecond.ToString("0.00", CultureInfo.InvariantCulture),
        < 1000 => perSecond.ToString("0.0", CultureInfo.InvariantCulture),
        < 100_000 => perSecond.ToString("N0", CultureInfo.InvariantCulture),
        _ => string.Create(CultureInfo.InvariantCulture, $"{perSecond / 1000:0}k"),
    };

    /// <summary>A duration in at most 7 characters: 12.3 s, 12:34, 1:02:03, then hours.</summary>
    public static string Duration(TimeSpan t) => t.TotalSeconds switch
    {
        < 60 => string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.0} s"),
        < 3600 => string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes}:{t.Seconds:00}"),
        < 36_000 => string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{t.TotalHours:0} h"),
    };
}
