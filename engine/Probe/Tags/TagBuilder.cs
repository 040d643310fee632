using System.Globalization;

namespace SSIS.Batch.Engine.Probe.Tags;

/// <summary>
/// Collects one file's tags under Vorbis-comment names (TITLE, ARTIST, ...), whichever format they came from; the first
/// value of a field wins (a file repeating ARTIST keeps its first artist).
/// </summary>
public sealed class TagBuilder
{
    private string? _title, _artist, _album, _albumArtist, _composer, _genre;
    private int? _track, _disc, _year;
    private float? _rating;

    /// <summary>Takes a Vorbis-comment style field; unknown names are ignored.</summary>
    public void Add(string name, string? value)
    {
        value = value?.Trim().TrimEnd('\0').Trim();
        if (string.IsNullOrEmpty(value)) return;
        switch (name.ToUpperInvariant())
        {
            case "TITLE": _title ??= value; break;
            case "ARTIST": _artist ??= value; break;
            case "ALBUM": _album ??= value; break;
            case "ALBUMARTIST" or "ALBUM ARTIST" or "ALBUM_ARTIST": _albumArtist ??= value; break;
            case "COMPOSER": _composer ??= value; break;
            case "GENRE": _genre ??= value; break;
            case "TRACKNUMBER" or "TRACK": _track ??= LeadingNumber(value); break;
            case "DISCNUMBER" or "DISC": _disc ??= LeadingNumber(value); break;
            case "DATE" or "YEAR": _year ??= Year(value); break;
            case "FMPS_RATING": _rating ??= Ratings.FromFmps(value); break;
            case "RATING": _rating ??= Ratings.FromRatingText(value); break;
            case "WM/SHAREDUSERRATING": _rating ??= Ratings.FromWindowsMedia(value); break;
        }
    }

    public void AddRating(float? rating) => _rating ??= rating;

    public AudioTags Build() => new(_title, _artist, _album, _albumArtist, _composer, _track, _disc, _year, _genre, _rating);

    /// <summary>"3/12" → 3, "07" → 7; null when the text does not start with a positive number.</summary>
    internal static int? LeadingNumber(string text)
    {
        var digits = 0;
        while (digits < text.Length && digits < 9 && char.IsAsciiDigit(text[digits])) digits++;
        return digits > 0 && int.TryParse(text.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
    }

    /// <summary>The year of "2012", "2012-05-01" or "2012-05-01T10:00"; null for anything else.</summary>
    internal static int? Year(string text) =>
        text.Length >= 4 && LeadingNumber(text[..4]) is { } year && year is >= 1000 and <= 9999 && (text.Length == 4 || !char.IsAsciiDigit(text[4]))
            ? year
            : null;
}
