using System.Globalization;

namespace SSIS.Batch.Engine.Probe.Tags;

/// <summary>
/// Maps each tag format's rating to the engine's 0..1 scale (README, Probe: "Ratings"). Zero or absent means unrated
/// (null), as in the players that write these tags.
/// </summary>
public static class Ratings
{
    /// <summary>
    /// ID3v2 POPM byte 0–255 → stars as Windows Media Player, MusicBee and foobar2000 read it (1–31 ★, 32–95 ★★,
    /// 96–159 ★★★, 160–223 ★★★★, 224–255 ★★★★★; they write 1, 64, 128, 196, 255), then stars / 5.
    /// </summary>
    public static float? FromPopm(byte value) => value switch
    {
        0 => null,
        < 32 => 0.2f,
        < 96 => 0.4f,
        < 160 => 0.6f,
        < 224 => 0.8f,
        _ => 1.0f,
    };

    /// <summary>FMPS_RATING: a decimal 0..1 (the freedesktop Media Player Specs); outside that range it is ignored.</summary>
    public static float? FromFmps(string text) =>
        TryNumber(text) is { } value && value is > 0 and <= 1 ? (float)value : null;

    /// <summary>
    /// RATING (Vorbis comment, MP4 'rate'): 1–5 are stars (÷ 5), 6–100 a percentage (÷ 100); 0, negatives and
    /// larger numbers are ignored. A 1–5 % rating is read as stars: those are the values star-based players write.
    /// </summary>
    public static float? FromRatingText(string text) => TryNumber(text) switch
    {
        { } value when value is > 0 and <= 5 => (float)(value / 5),
        { } value when value is > 5 and <= 100 => (float)(value / 100),
        _ => null,
    };

    /// <summary>
    /// Windows Media Player's WM/SharedUserRating (WMA, read through ffprobe): 1, 25, 50, 75 and 99 are one to five
    /// stars, each star 0.2; 0 is unrated.
    /// </summary>
    public static float? FromWindowsMedia(string text) => TryNumber(text) switch
    {
        { } value when value is >= 1 and <= 99 => (float)((Math.Round(value / 25) + 1) / 5),
        _ => null,
    };

    private static double? TryNumber(string text) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;
}
