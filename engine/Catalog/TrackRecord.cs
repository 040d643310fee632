namespace SSIS.Batch.Engine.Catalog;

/// <summary>
/// One entry of the user's catalog. Metadata fields are null when the catalog has none; <see cref="Rating"/> is 0..1 or
/// null when unrated. <see cref="TagsFromFile"/>: the catalog holds no metadata of its own (a folder scan), so the probe
/// fills these fields from the file's tags; a Clementine catalog stays the source of truth for its entries.
/// </summary>
public sealed record TrackRecord(
    long TrackId,
    string Path,
    string? Title = null,
    string? Artist = null,
    string? Album = null,
    string? AlbumArtist = null,
    string? Composer = null,
    int? Year = null,
    string? Genre = null,
    float? Rating = null,
    double? CatalogDurationSeconds = null,
    bool Unavailable = false,
    string? UnreadableLocation = null,
    int? TrackNumber = null,
    int? DiscNumber = null,
    bool TagsFromFile = false)
{
    /// <summary>This record with the metadata fields taken from <paramref name="tags"/>.</summary>
    public TrackRecord WithTags(Probe.AudioTags tags) => this with
    {
        Title = tags.Title, Artist = tags.Artist, Album = tags.Album, AlbumArtist = tags.AlbumArtist, Composer = tags.Composer,
        Year = tags.Year, Genre = tags.Genre, Rating = tags.Rating, TrackNumber = tags.TrackNumber, DiscNumber = tags.DiscNumber,
    };
}

/// <summary>Reads the catalog's entries. Implementations never write to the catalog.</summary>
public interface ITrackCatalog
{
    /// <summary>Kind and location, for logs and run.json (e.g. "clementine:/home/u/.config/Clementine/clementine.db").</summary>
    string Description { get; }

    IEnumerable<TrackRecord> ReadTracks(CancellationToken cancellationToken = default);
}

/// <summary>The catalog itself cannot be read (missing, corrupt, locked, not the expected schema).</summary>
public sealed class CatalogException(string message, Exception? inner = null) : Exception(message, inner);
