using System.Globalization;

namespace SSIS.Batch.Engine.Probe.Tags;

/// <summary>
/// Collects one file's tags under Vorbis-comment names (TITLE, ARTIST, ...), whichever format they came from; the first
/// source to give a field wins. Within one source, the values of a multi-valued field (several artists or genres) are
/// joined with "; " (<see cref="AddAll"/>); any other field keeps its first value.
/// </summary>
public sealed class TagBuilder
{
    /// <summary>What joins the values of a multi-valued field.</summary>
    public const string ValueSeparator = "; ";

    private string? _title, _artist, _album, _albumArtist, _composer, _genre;
    private int? _track, _disc, _year, _fallbackYear;
    private float? _rating;

    /// <summary>Fields that may hold several values (artists, composers, genres), kept whole as one joined text.</summary>
    private static bool IsMultiValued(string name) =>
        name.ToUpperInvariant() is "ARTIST" or "ALBUMARTIST" or "ALBUM ARTIST" or "ALBUM_ARTIST" or "COMPOSER" or "GENRE";

    /// <summary>The distinct non-empty values, in order, joined with <see cref="ValueSeparator"/>.</summary>
    private static string JoinValues(IEnumerable<string> values) =>
        string.Join(ValueSeparator, values.Select(v => v.Trim().TrimEnd('\0').Trim()).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal));

    /// <summary>All of one source's values of a field: joined when it is multi-valued, else each in turn (the first usable wins).</summary>
    public void AddAll(string name, IReadOnlyList<string> values)
    {
        if (IsMultiValued(name)) Add(name, JoinValues(values));
        else
            foreach (var value in values) Add(name, value);
    }

    /// <summary>Each field of one source, its repeated values together (names compared case-insensitively), in order of first appearance.</summary>
    public void AddFields(IEnumerable<(string Name, string Value)> fields)
    {
        foreach (var field in fields.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase))
            AddAll(field.Key, field.Select(f => f.Value).ToList());
    }

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
            case "DATE" or "YEAR" or "WM/YEAR": _year ??= Year(value); break;
            // Only when no recording date is given: eyeD3's -Y writes the release date, Picard the original's.
            case "RELEASEDATE" or "ORIGINALDATE" or "ORIGINALYEAR": _fallbackYear ??= Year(value); break;
            case "FMPS_RATING": _rating ??= Ratings.FromFmps(value); break;
            case "RATING": _rating ??= Ratings.FromRatingText(value); break;
            // Quod Libet's "RATING:<email>", 0..1 like FMPS.
            case var rating when rating.StartsWith("RATING:", StringComparison.Ordinal): _rating ??= Ratings.FromFmps(value); break;
            case "WM/SHAREDUSERRATING": _rating ??= Ratings.FromWindowsMedia(value); break;
        }
    }

    public void AddRating(float? rating) => _rating ??= rating;

    public AudioTags Build() => new(_title, _artist, _album, _albumArtist, _composer, _track, _disc, _year ?? _fallbackYear, _genre, _rating);

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
