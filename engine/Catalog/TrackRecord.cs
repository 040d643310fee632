namespace SSIS.Batch.Engine.Catalog;

/// <summary>
/// One entry of the user's catalog. Metadata fields are null when the catalog has none (a folder scan has none);
/// <see cref="Rating"/> is 0..1 or null when unrated.
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
    string? UnreadableLocation = null);

/// <summary>Reads the catalog's entries. Implementations never write to the catalog.</summary>
public interface ITrackCatalog
{
    /// <summary>Kind and location, for logs and run.json (e.g. "clementine:/home/u/.config/Clementine/clementine.db").</summary>
    string Description { get; }

    IEnumerable<TrackRecord> ReadTracks(CancellationToken cancellationToken = default);
}

/// <summary>The catalog itself cannot be read (missing, corrupt, locked, not the expected schema).</summary>
public sealed class CatalogException(string message, Exception? inner = null) : Exception(message, inner);
