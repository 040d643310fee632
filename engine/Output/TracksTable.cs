using SSIS.Batch.Engine.Errors;
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
        new("track_number", ColumnType.Integer, "track number (null when unknown)"),
        new("disc_number", ColumnType.Integer, "disc number (null when unknown)"),
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
        new("error_stage", ColumnType.Varchar, "the stage that failed (probe, analysis, fingerprint) when status = error"),
        new("duplicate_group", ColumnType.Integer, "group_id in duplicates.parquet (null: no duplicate found)"),
        new("is_canonical", ColumnType.Boolean, "false for a duplicate that is not its group's canonical file; later stages use canonical tracks only (null when status is not ok)"),
        new("effective_rating", ColumnType.Float, "the rating later stages use, 0..1: the group's merged rating for a canonical file, else the catalog rating"),
        new("is_speech", ColumnType.Boolean, "the speech gate's verdict (analysis.parquet has the probability); null when not analysed"),
    ];

    public static object?[] Row(TrackRow row)
    {
        var t = row.Probe;
        var p = t.Properties;
        var r = t.Track;
        var error = row.Error;
        var ok = row.IsOk;
        return
        [
            r.TrackId, r.Path, r.Title, r.Artist, r.Album, r.AlbumArtist, r.Composer, r.Year, r.Genre, r.TrackNumber, r.DiscNumber, r.Rating,
            r.CatalogDurationSeconds, t.Stamp?.SizeBytes, t.Stamp?.ModifiedUtc,
            p?.DurationSeconds, p?.SampleRateHz, p?.Channels, p?.BitRateBps, p?.Codec, p?.Container,
            t.Outcome is null ? null : t.Outcome.Method == ProbeMethod.Header ? "header" : "ffprobe",
            error is null ? t.Status.ToString().ToLowerInvariant() : "error", error?.Code.Name(),
            error?.Message, error is null ? null : t.Error is not null ? ProbeStage.Name : row.ErrorStage,
            row.Duplicate?.GroupId, ok ? row.IsCanonical : null,
            row.EffectiveRating,
            row.IsSpeech,
        ];
    }

    public static void Write(string outputFolder, IEnumerable<TrackRow> tracks) =>
        ParquetTableWriter.Write(Path.Combine(outputFolder, FileName), Columns, tracks.Select(Row));
}

/// <summary>Everything tracks.parquet says of one catalog entry: its probe, a later stage's error, its duplicate group.</summary>
public sealed record TrackRow(ProbedTrack Probe, FileError? LaterError = null, string? ErrorStage = null, TrackDuplicate? Duplicate = null,
    bool? IsSpeech = null)
{
    public FileError? Error => Probe.Error ?? LaterError;
    public bool IsOk => Error is null && Probe.Status == TrackStatus.Ok;

    /// <summary>Not a duplicate, or the copy its group keeps.</summary>
    public bool IsCanonical => Duplicate?.IsCanonical ?? true;

    /// <summary>The rating later stages use: the group's merged rating for a canonical copy, else the catalog's.</summary>
    public float? EffectiveRating => Duplicate is { IsCanonical: true } d ? d.MergedRating : Probe.Track.Rating;

    /// <summary>
    /// What the rating model may learn from or recommend: ok, canonical, analysed and not speech (the same rule as
    /// <see cref="Rating.RatingDataset"/>'s query over tracks.parquet).
    /// </summary>
    public bool IsRatingCandidate => IsOk && IsCanonical && IsSpeech == false;
}

/// <summary>A track's place in a duplicate group.</summary>
public sealed record TrackDuplicate(int GroupId, bool IsCanonical, float? MergedRating);
