using SSIS.Batch.Engine.Native.DuckDb;
using SSIS.Batch.Engine.Probe;

namespace SSIS.Batch.Engine.Output;

/// <summary>tracks.parquet: one row per catalog entry.</summary>
public static class TracksTable
{
    public const string FileName = "tracks.parquet";

    public static readonly IReadOnlyList<Column> Columns =
    [
        new("track_id", ColumnType.BigInt, "Clementine ROWID, or a stable hash of the path for a folder scan"),
        new("path", ColumnType.Varchar, "absolute local path (the catalog's URL when it is not a local file)"),
        new("title", ColumnType.Varchar, "catalog title"),
        new("artist", ColumnType.Varchar, "catalog artist"),
        new("album", ColumnType.Varchar, "catalog album"),
        new("album_artist", ColumnType.Varchar, "catalog album artist"),
        new("composer", ColumnType.Varchar, "catalog composer"),
        new("year", ColumnType.Integer, "catalog year (null when unknown)"),
        new("genre", ColumnType.Varchar, "catalog genre"),
        new("rating", ColumnType.Float, "catalog rating, 0..1 (null when unrated)"),
        new("catalog_duration_s", ColumnType.Double, "duration the catalog states, seconds"),
        new("size_bytes", ColumnType.BigInt, "file size, bytes"),
        new("mtime_utc", ColumnType.Timestamp, "file modification time, UTC"),
        new("duration_s", ColumnType.Double, "probed duration, seconds"),
        new("sample_rate_hz", ColumnType.Integer, "probed sample rate, Hz"),
        new("channels", ColumnType.Integer, "probed channel count"),
        new("bit_rate_bps", ColumnType.Integer, "bits per second: the frame rate of CBR MP3, else file bits / duration"),
        new("codec", ColumnType.Varchar, "codec, ffprobe's name (mp3, vorbis, opus, flac, aac, pcm_s16le, ...)"),
        new("container", ColumnType.Varchar, "container (mp3, ogg, flac, mp4, wav, or ffprobe's format name)"),
        new("probe_method", ColumnType.Varchar, "header (the engine's own reader) or ffprobe"),
        new("status", ColumnType.Varchar, "ok, error, or unavailable (flagged in the catalog; not analysed)"),
        new("error_code", ColumnType.Varchar, "typed error (FILE_MISSING, FILE_CORRUPT, ...) when status = error"),
        new("error_message", ColumnType.Varchar, "what went wrong, for a person"),
    ];

    public static object?[] Row(ProbedTrack t)
    {
        var p = t.Properties;
        var r = t.Track;
        return
        [
            r.TrackId, r.Path, r.Title, r.Artist, r.Album, r.AlbumArtist, r.Composer, r.Year, r.Genre, r.Rating,
            r.CatalogDurationSeconds, t.Stamp?.SizeBytes, t.Stamp?.ModifiedUtc,
            p?.DurationSeconds, p?.SampleRateHz, p?.Channels, p?.BitRateBps, p?.Codec, p?.Container,
            t.Outcome is null ? null : t.Outcome.Method == ProbeMethod.Header ? "header" : "ffprobe",
            t.Status.ToString().ToLowerInvariant(), t.Error is null ? null : Errors.ErrorCodes.Name(t.Error.Code), t.Error?.Message,
        ];
    }

    public static void Write(string outputFolder, IEnumerable<ProbedTrack> tracks) =>
        ParquetTableWriter.Write(Path.Combine(outputFolder, FileName), Columns, tracks.Select(Row));
}
