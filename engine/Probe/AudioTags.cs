namespace SSIS.Batch.Engine.Probe;

/// <summary>
/// The metadata tags a file carries, read in the probe pass. Every field is null when the file does not say;
/// <see cref="Rating"/> is 0..1 (see <see cref="Tags.Ratings"/> for how each tag format maps to it).
/// </summary>
public sealed record AudioTags(
    string? Title = null,
    string? Artist = null,
    string? Album = null,
    string? AlbumArtist = null,
    string? Composer = null,
    int? TrackNumber = null,
    int? DiscNumber = null,
    int? Year = null,
    string? Genre = null,
    float? Rating = null);
