using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Probe;

namespace SSIS.Batch.Engine.Output;

/// <summary>tracks.parquet: one row per catalog entry.</summary>
public static class TracksTable
{
    public static string FileName => Schema.ParquetFileName;

    public static readonly TableSchema Schema = new("tracks", "one row per catalog entry",
    [
        new("track_id", ColumnTypes.Int64, "Clementine ROWID; for a folder scan, a hash of the file's content (size, first and last 16 KiB), so it survives moves and renames (the n-th byte-identical copy, by file name then path, hashes it with n, so moving or renaming folders keeps every copy's id unless copies share a file name; a file the probe cannot open: a hash of its path)"),
        new("path", ColumnTypes.String, "absolute local path (the catalog's URL when it is not a local file)"),
        new("title", ColumnTypes.String, "catalog title (a folder scan: the file's tag, see [Probe](#probe))"),
        new("artist", ColumnTypes.String, "catalog artist (a folder scan: the file's tag)"),
        new("album", ColumnTypes.String, "catalog album (a folder scan: the file's tag)"),
        new("album_artist", ColumnTypes.String, "catalog album artist (a folder scan: the file's tag)"),
        new("composer", ColumnTypes.String, "catalog composer (a folder scan: the file's tag)"),
        new("year", ColumnTypes.Int32, "catalog year (null when unknown)"),
        new("genre", ColumnTypes.String, "catalog genre"),
        new("track_number", ColumnTypes.Int32, "track number from the file's tag in a folder scan (null when unknown, and for Clementine catalogs)"),
        new("disc_number", ColumnTypes.Int32, "disc number from the file's tag in a folder scan (null when unknown, and for Clementine catalogs)"),
        new("rating", ColumnTypes.Float, "catalog rating, 0..1 (null when unrated; Clementine's -1 and NULL both mean unrated); a folder scan reads it from the file's rating tag (see [Probe](#probe))"),
        new("catalog_duration_s", ColumnTypes.Double, "duration the catalog states, seconds (Clementine stores nanoseconds)"),
        new("size_bytes", ColumnTypes.Int64, "file size, bytes"),
        new("mtime_utc", ColumnTypes.UtcTimestamp, "file modification time, UTC"),
        new("duration_s", ColumnTypes.Double, "probed duration, seconds"),
        new("sample_rate_hz", ColumnTypes.Int32, "probed sample rate, Hz (Opus: 48000, its decoding rate)"),
        new("channels", ColumnTypes.Int32, "probed channel count"),
        new("bit_rate_bps", ColumnTypes.Int32, "bits per second of the audio: the audio frames' rate for CBR MP3, else the audio's bits / duration, where the audio leaves out tags, cover art and padding (FLAC's metadata blocks, Ogg's header pages, MP4's boxes other than `mdat`, MP3's ID3 and APE tags; for the formats ffprobe reads, its stream rate, else the file's), so a re-tagged copy or one with a picture keeps its copy's rate"),
        new("codec", ColumnTypes.String, "codec, ffprobe's name (mp3, vorbis, opus, flac, aac, pcm_s16le, ...)"),
        new("container", ColumnTypes.String, "container (mp3, ogg, flac, mp4, wav, or ffprobe's format name)"),
        new("probe_method", ColumnTypes.String, "`header` (the engine's own reader) or `ffprobe`"),
        new("status", ColumnTypes.String, "`ok`, `error`, `skipped` (left out by a limit, not failed: over `analysis.max_duration_s`; not analysed, still deduplicated by content), or `unavailable` (flagged `unavailable = 1` in Clementine; reported, not analysed)"),
        new("error_code", ColumnTypes.String, "typed error when `status = error` (see below); the reason (`FILE_TOO_LONG`) when `status = skipped`"),
        new("error_message", ColumnTypes.String, "what went wrong, for a person"),
        new("error_stage", ColumnTypes.String, "the stage that failed (`probe`, `analysis`, `fingerprint`) when `status = error`"),
        new("duplicate_group", ColumnTypes.Int32, "`group_id` in duplicates.parquet (null: no duplicate found)"),
        new("is_canonical", ColumnTypes.Boolean, "false for a duplicate that is not its group's canonical file; later stages use canonical tracks only (null when status is not ok)"),
        new("effective_rating", ColumnTypes.Float, "the rating later stages use, 0..1: the group's merged rating for a canonical file, else the catalog rating"),
        new("is_speech", ColumnTypes.Boolean, "speech content: from the whole-file segments when the file was segmented whole, else from the crop gate (analysis.parquet has the share and the scene); null when neither"),
    ]);

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
            row.Status, error?.Code.Name(),
            error?.Message, error is null ? null : t.Error is not null ? ProbeStage.Name : row.ErrorStage,
            row.Duplicate?.GroupId, ok ? row.IsCanonical : null,
            row.EffectiveRating,
            row.IsSpeech,
        ];
    }

    public static IReadOnlyList<string> Write(string outputFolder, IEnumerable<TrackRow> tracks, OutputFormats formats) =>
        TableWriter.Write(outputFolder, Schema, formats, tracks.Select(Row));
}

/// <summary>Everything tracks.parquet says of one catalog entry: its probe, a later stage's error, its duplicate group.</summary>
public sealed record TrackRow(ProbedTrack Probe, FileError? LaterError = null, string? ErrorStage = null, TrackDuplicate? Duplicate = null,
    bool? IsSpeech = null)
{
    public FileError? Error => Probe.Error ?? LaterError;
    public bool IsOk => Error is null && Probe.Status == TrackStatus.Ok;

    /// <summary>Left out by a limit (<see cref="ErrorCodes.IsSkip"/>), not failed.</summary>
    public bool IsSkipped => Error is { } e && e.Code.IsSkip();

    /// <summary>tracks.parquet's status: ok, error, skipped or unavailable.</summary>
    public string Status => IsSkipped ? "skipped" : Error is not null ? "error" : Probe.Status.ToString().ToLowerInvariant();

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
