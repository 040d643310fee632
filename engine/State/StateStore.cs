using Microsoft.Data.Sqlite;
using System.Text.Json;
using System.Text.Json.Serialization;
using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Embedding;
using SSIS.Batch.Engine.Embedding.Contrastive;
using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Fingerprint;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Engine.Probe;

namespace SSIS.Batch.Engine.State;

/// <summary>
/// The run's SQLite state (WAL): cached stage results keyed by (path, size, mtime, stage version) and the ledger of
/// work done. One writer owns it; parallel blocks hand it batches.
/// </summary>
public sealed class StateStore : IDisposable
{
    public const string FileName = "state.db";

    private readonly SqliteConnection _connection;

    public StateStore(string stateFolder)
    {
        Directory.CreateDirectory(stateFolder);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(stateFolder, FileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
        Execute("""
            CREATE TABLE IF NOT EXISTS probe_cache (
                path TEXT PRIMARY KEY, size_bytes INTEGER NOT NULL, mtime_ticks INTEGER NOT NULL, prober_version INTEGER NOT NULL,
                method TEXT NOT NULL, duration_s REAL, sample_rate_hz INTEGER, channels INTEGER, bit_rate_bps INTEGER,
                codec TEXT, container TEXT, error_code TEXT, error_message TEXT);
            CREATE TABLE IF NOT EXISTS fingerprint_cache (
                path TEXT NOT NULL, source TEXT NOT NULL, size_bytes INTEGER NOT NULL, mtime_ticks INTEGER NOT NULL,
                version INTEGER NOT NULL, raw BLOB NOT NULL, compressed TEXT NOT NULL, hash INTEGER NOT NULL, fed_s REAL NOT NULL,
                PRIMARY KEY (path, source));
            CREATE TABLE IF NOT EXISTS analysis_cache (
                path TEXT PRIMARY KEY, cache_key TEXT NOT NULL, size_bytes INTEGER NOT NULL, mtime_ticks INTEGER NOT NULL,
                analysis_json TEXT NOT NULL, fingerprint_raw BLOB, fingerprint_compressed TEXT, fingerprint_hash INTEGER,
                fingerprint_s REAL);
            CREATE TABLE IF NOT EXISTS analysis_failures (
                path TEXT PRIMARY KEY, cache_key TEXT NOT NULL, size_bytes INTEGER NOT NULL, mtime_ticks INTEGER NOT NULL,
                error_code TEXT NOT NULL, error_message TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS embeddings (
                path TEXT NOT NULL, model_version TEXT NOT NULL, size_bytes INTEGER NOT NULL, mtime_ticks INTEGER NOT NULL,
                vector BLOB NOT NULL, PRIMARY KEY (path, model_version));
            CREATE TABLE IF NOT EXISTS dead_letters (
                path TEXT NOT NULL, stage TEXT NOT NULL, error_code TEXT NOT NULL, error_message TEXT NOT NULL,
                attempts INTEGER NOT NULL, run_id TEXT NOT NULL, failed_utc TEXT NOT NULL, PRIMARY KEY (path, stage));
            CREATE TABLE IF NOT EXISTS ledger (
                run_id TEXT NOT NULL, path TEXT NOT NULL, stage TEXT NOT NULL, status TEXT NOT NULL, attempt INTEGER NOT NULL,
                started_utc TEXT NOT NULL, duration_ms REAL NOT NULL, error_code TEXT, error_message TEXT);
            CREATE INDEX IF NOT EXISTS ledger_run_stage_status ON ledger(run_id, stage, status);
            CREATE INDEX IF NOT EXISTS ledger_path ON ledger(path);
            CREATE INDEX IF NOT EXISTS ledger_error_code ON ledger(error_code);
            """);
        AddColumnIfMissing("ledger", "metrics_json", "TEXT");
        DropFullLogMel();
        AddColumnIfMissing("analysis_cache", "fingerprint_tried", "INTEGER");
        AddColumnIfMissing("analysis_cache", "log_mel_excerpt", "BLOB");
        AddColumnIfMissing("analysis_cache", "decoded_audio_key", "TEXT");
        AddColumnIfMissing("probe_cache", "tags_json", "TEXT");
        AddColumnIfMissing("probe_cache", "content_id", "INTEGER");
    }

    /// <summary>
    /// Migrates a state folder from before the compact layout, which kept every analysed frame as floats (768 KB per
    /// track): those frames and the contrastive vectors made from them go, and the file is compacted. The analyses stay;
    /// the next run that needs log-mel frames analyses those tracks once more and keeps their <see cref="LogMelExcerpt"/>.
    /// </summary>
    private void DropFullLogMel()
    {
        if (!HasColumn("analysis_cache", "log_mel")) return;
        Execute($"""
            ALTER TABLE analysis_cache DROP COLUMN log_mel;
            ALTER TABLE analysis_cache DROP COLUMN log_mel_bands;
            DELETE FROM embeddings WHERE model_version LIKE '{Encoders.ContrastiveName}-%';
            """);
        Execute("VACUUM");
    }

    private bool HasColumn(string table, string column)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM pragma_table_info('{table}') WHERE name = '{column}'";
        return Convert.ToInt32(command.ExecuteScalar()) > 0;
    }

    /// <summary>Adds a column to a table an earlier version created without it.</summary>
    private void AddColumnIfMissing(string table, string column, string type)
    {
        if (!HasColumn(table, column)) Execute($"ALTER TABLE {table} ADD COLUMN {column} {type}");
    }

    /// <summary>Every cached probe of the current prober version, by path.</summary>
    public Dictionary<string, CachedProbe> LoadProbeCache()
    {
        var cache = new Dictionary<string, CachedProbe>(StringComparer.Ordinal);
        using var command = _connection.CreateCommand();
        command.CommandText = """
            SELECT path, size_bytes, mtime_ticks, method, duration_s, sample_rate_hz, channels, bit_rate_bps, codec, container,
                   error_code, error_message, tags_json, content_id
            FROM probe_cache WHERE prober_version = $version
            """;
        command.Parameters.AddWithValue("$version", AudioProber.Version);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var stamp = new FileStamp(reader.GetInt64(1), reader.GetInt64(2));
            var method = Enum.Parse<ProbeMethod>(reader.GetString(3));
            var outcome = reader.IsDBNull(10)
                ? ProbeOutcome.Ok(new AudioProperties(reader.GetDouble(4), reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7),
                    reader.GetString(8), reader.GetString(9), reader.IsDBNull(12) ? null : JsonSerializer.Deserialize<AudioTags>(reader.GetString(12))), method)
                : ProbeOutcome.Failed(ErrorCodes.Parse(reader.GetString(10)), reader.GetString(11), method);
            cache[reader.GetString(0)] = new CachedProbe(stamp, outcome with { ContentId = reader.IsDBNull(13) ? null : reader.GetInt64(13) });
        }
        return cache;
    }

    /// <summary>The file version every cached probe (of any prober version) was made from, by path.</summary>
    public Dictionary<string, FileStamp> LoadProbeStamps()
    {
        var stamps = new Dictionary<string, FileStamp>(StringComparer.Ordinal);
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT path, size_bytes, mtime_ticks FROM probe_cache";
        using var reader = command.ExecuteReader();
        while (reader.Read()) stamps[reader.GetString(0)] = new FileStamp(reader.GetInt64(1), reader.GetInt64(2));
        return stamps;
    }

    /// <summary>
    /// Tables whose rows belong to one file by path (and source or model version): what a move carries to the new path
    /// and what a shard's store gives the job's. The ledger is history and keeps the path it ran on.
    /// </summary>
    private static readonly string[] PerFileTables = ["probe_cache", "fingerprint_cache", "analysis_cache", "analysis_failures", "embeddings", "dead_letters"];

    /// <summary>Moves every cached result of each file from its old path to its new one, in one transaction.</summary>
    public void Relocate(IReadOnlyList<Relocation> moves)
    {
        using var transaction = _connection.BeginTransaction();
        foreach (var table in PerFileTables)
        {
            using var update = _connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = $"UPDATE OR REPLACE {table} SET path = $new WHERE path = $old";
            foreach (var move in moves)
            {
                update.Parameters.Clear();
                update.Parameters.AddWithValue("$old", move.OldPath);
                update.Parameters.AddWithValue("$new", move.NewPath);
                update.ExecuteNonQuery();
            }
        }
        transaction.Commit();
    }

    /// <summary>
    /// Stores fresh probes and a ledger row for every entry probed or refused in this run (missing files, streams,
    /// folders included), in one transaction. Cache hits are not work and get no row.
    /// </summary>
    public void SaveProbes(string runId, IEnumerable<ProbedTrack> tracks)
    {
        using var transaction = _connection.BeginTransaction();
        using var upsert = _connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = """
            INSERT OR REPLACE INTO probe_cache VALUES ($path, $size, $mtime, $version, $method, $duration, $rate, $channels,
                $bitrate, $codec, $container, $code, $message, $tags, $content_id)
            """;
        foreach (var track in tracks.Where(t => t is { FromCache: false, Status: not TrackStatus.Unavailable }))
        {
            var path = track.Track.Path;
            if (track is { Stamp: { } stamp, Outcome: { } outcome } && IsCacheable(outcome))
            {
                var p = outcome.Properties;
                upsert.Parameters.Clear();
                upsert.Parameters.AddWithValue("$path", path);
                upsert.Parameters.AddWithValue("$size", stamp.SizeBytes);
                upsert.Parameters.AddWithValue("$mtime", stamp.MtimeTicks);
                upsert.Parameters.AddWithValue("$version", AudioProber.Version);
                upsert.Parameters.AddWithValue("$method", outcome.Method.ToString());
                upsert.Parameters.AddWithValue("$duration", (object?)p?.DurationSeconds ?? DBNull.Value);
                upsert.Parameters.AddWithValue("$rate", (object?)p?.SampleRateHz ?? DBNull.Value);
                upsert.Parameters.AddWithValue("$channels", (object?)p?.Channels ?? DBNull.Value);
                upsert.Parameters.AddWithValue("$bitrate", (object?)p?.BitRateBps ?? DBNull.Value);
                upsert.Parameters.AddWithValue("$codec", (object?)p?.Codec ?? DBNull.Value);
                upsert.Parameters.AddWithValue("$container", (object?)p?.Container ?? DBNull.Value);
                upsert.Parameters.AddWithValue("$code", (object?)outcome.Error?.Code.Name() ?? DBNull.Value);
                upsert.Parameters.AddWithValue("$message", (object?)outcome.Error?.Message ?? DBNull.Value);
                upsert.Parameters.AddWithValue("$tags", p?.Tags is { } tags ? JsonSerializer.Serialize(tags) : DBNull.Value);
                upsert.Parameters.AddWithValue("$content_id", (object?)outcome.ContentId ?? DBNull.Value);
                upsert.ExecuteNonQuery();
            }
            InsertLedger(transaction, runId, path, ProbeStage.Name, track.Error, track.StartedUtc, track.ElapsedMs, attempts: track.Attempts,
                metrics: track.Outcome is { } o ? new { method = o.Method.ToString().ToLowerInvariant(), codec = o.Properties?.Codec, duration_s = o.Properties?.DurationSeconds } : null);
        }
        transaction.Commit();
    }

    /// <summary>Every cached fingerprint of one source and the current stage version, by path.</summary>
    public Dictionary<string, CachedFingerprint> LoadFingerprintCache(FingerprintSource source)
    {
        var cache = new Dictionary<string, CachedFingerprint>(StringComparer.Ordinal);
        using var command = _connection.CreateCommand();
        command.CommandText = """
            SELECT path, size_bytes, mtime_ticks, raw, compressed, hash, fed_s FROM fingerprint_cache
            WHERE source = $source AND version = $version
            """;
        command.Parameters.AddWithValue("$source", source.ToString());
        command.Parameters.AddWithValue("$version", FingerprintStage.Version);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var raw = Uints((byte[])reader.GetValue(3));
            cache[reader.GetString(0)] = new CachedFingerprint(new FileStamp(reader.GetInt64(1), reader.GetInt64(2)),
                new AudioFingerprint(raw, (uint)reader.GetInt64(5), reader.GetDouble(6)));
        }
        return cache;
    }

    /// <summary>Stores fresh fingerprints and the ledger rows of every fingerprint attempt, in one transaction.</summary>
    public void SaveFingerprints(string runId, FingerprintSource source, IEnumerable<FingerprintedTrack> results)
    {
        using var transaction = _connection.BeginTransaction();
        using var upsert = _connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = "INSERT OR REPLACE INTO fingerprint_cache VALUES ($path, $source, $size, $mtime, $version, $raw, $compressed, $hash, $fed)";
        foreach (var result in results.Where(r => !r.FromCache))
        {
            // Audio too short for a fingerprint is kept as an empty one, so the file is not decoded again next run.
            var kept = result.Fingerprint ?? (result.SkippedBecause == FingerprintStage.TooShort ? new AudioFingerprint([], 0, 0) : null);
            if (kept is { } f)
            {
                upsert.Parameters.Clear();
                upsert.Parameters.AddWithValue("$path", result.Track.Track.Path);
                upsert.Parameters.AddWithValue("$source", source.ToString());
                upsert.Parameters.AddWithValue("$size", result.Track.Stamp!.Value.SizeBytes);
                upsert.Parameters.AddWithValue("$mtime", result.Track.Stamp!.Value.MtimeTicks);
                upsert.Parameters.AddWithValue("$version", FingerprintStage.Version);
                upsert.Parameters.AddWithValue("$raw", Bytes(f.Raw));
                upsert.Parameters.AddWithValue("$compressed", f.Compressed);
                upsert.Parameters.AddWithValue("$hash", (long)f.Hash);
                upsert.Parameters.AddWithValue("$fed", f.FedSeconds);
                upsert.ExecuteNonQuery();
            }
            InsertLedger(transaction, runId, result.Track.Track.Path, FingerprintStage.Name, result.Error, result.StartedUtc, result.ElapsedMs,
                result.SkippedBecause, result.Attempts,
                result.Fingerprint is { } print ? new { items = print.Raw.Length, fed_s = print.FedSeconds } : null);
        }
        transaction.Commit();
    }

    private void InsertLedger(SqliteTransaction transaction, string runId, string path, string stage, FileError? error, DateTime started, double ms,
        string? skippedBecause = null, int attempts = 1, object? metrics = null)
    {
        RecordDeadLetter(transaction, runId, path, stage, error, attempts);
        using var ledger = _connection.CreateCommand();
        ledger.Transaction = transaction;
        ledger.CommandText = """
            INSERT INTO ledger (run_id, path, stage, status, attempt, started_utc, duration_ms, error_code, error_message, metrics_json)
            VALUES ($run, $path, $stage, $status, $attempt, $started, $ms, $code, $message, $metrics)
            """;
        ledger.Parameters.AddWithValue("$metrics", metrics is null ? DBNull.Value : JsonSerializer.Serialize(metrics, AnalysisJson));
        ledger.Parameters.AddWithValue("$attempt", attempts);
        ledger.Parameters.AddWithValue("$run", runId);
        ledger.Parameters.AddWithValue("$path", path);
        ledger.Parameters.AddWithValue("$stage", stage);
        ledger.Parameters.AddWithValue("$status", error is { } e ? e.Code.IsSkip() ? "skipped" : "error" : skippedBecause is not null ? "skipped" : "ok");
        ledger.Parameters.AddWithValue("$started", started.ToString("O"));
        ledger.Parameters.AddWithValue("$ms", ms);
        ledger.Parameters.AddWithValue("$code", (object?)error?.Code.Name() ?? DBNull.Value);
        ledger.Parameters.AddWithValue("$message", (object?)error?.Message ?? (object?)skippedBecause ?? DBNull.Value);
        ledger.ExecuteNonQuery();
    }

    private static readonly JsonSerializerOptions AnalysisJson = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>
    /// Every cached analysis and lasting analysis failure made under <paramref name="cacheKey"/> (stage version and
    /// parameters), by path, in their compact form (<see cref="TrackAnalysis.WithoutFeatures"/>: the feature statistics
    /// are read by <see cref="LoadAnalyses"/> when needed). Log-mel excerpts stay in the store (<see cref="LoadLogMel"/>);
    /// only their presence is read.
    /// </summary>
    public Dictionary<string, CachedAnalysis> LoadAnalysisCache(string cacheKey)
    {
        var cache = new Dictionary<string, CachedAnalysis>(StringComparer.Ordinal);
        using var command = _connection.CreateCommand();
        command.CommandText = """
            SELECT path, size_bytes, mtime_ticks, analysis_json, fingerprint_raw, fingerprint_compressed, fingerprint_hash, fingerprint_s,
                   coalesce(fingerprint_tried, fingerprint_raw IS NOT NULL), log_mel_excerpt IS NOT NULL, decoded_audio_key
            FROM analysis_cache WHERE cache_key = $key
            """;
        command.Parameters.AddWithValue("$key", cacheKey);
        using (var reader = command.ExecuteReader())
            while (reader.Read())
            {
                var analysis = JsonSerializer.Deserialize<TrackAnalysis>(reader.GetString(3), AnalysisJson)!.WithoutFeatures();
                var fingerprint = reader.IsDBNull(4) ? null
                    : new AudioFingerprint(Uints((byte[])reader.GetValue(4)), (uint)reader.GetInt64(6), reader.GetDouble(7));
                cache[reader.GetString(0)] = new CachedAnalysis(new FileStamp(reader.GetInt64(1), reader.GetInt64(2)), analysis, null, fingerprint,
                    reader.GetBoolean(8), reader.GetBoolean(9), reader.IsDBNull(10) ? null : reader.GetString(10));
            }
        command.CommandText = "SELECT path, size_bytes, mtime_ticks, error_code, error_message FROM analysis_failures WHERE cache_key = $key";
        using (var reader = command.ExecuteReader())
            while (reader.Read())
                cache[reader.GetString(0)] = new CachedAnalysis(new FileStamp(reader.GetInt64(1), reader.GetInt64(2)), null,
                    new FileError(ErrorCodes.Parse(reader.GetString(3)), reader.GetString(4)), null, false, false);
        return cache;
    }

    /// <summary>
    /// The whole stored analyses (feature statistics included) of <paramref name="paths"/> under <paramref name="cacheKey"/>,
    /// by path: one query for a batch, so a step that needs the statistics reads them a batch at a time.
    /// </summary>
    public Dictionary<string, TrackAnalysis> LoadAnalyses(string cacheKey, IReadOnlyList<string> paths) => LoadByPath(paths,
        "SELECT a.path, a.analysis_json FROM json_each($paths) AS wanted JOIN analysis_cache AS a ON a.path = wanted.value WHERE a.cache_key = $key",
        cacheKey, reader => JsonSerializer.Deserialize<TrackAnalysis>(reader.GetString(1), AnalysisJson)!);

    /// <summary>The stored log-mel excerpt of a track's current version, or null when the store has none for that version.</summary>
    public LogMelExcerpt? LoadLogMel(string path, FileStamp stamp)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT log_mel_excerpt FROM analysis_cache WHERE path = $path AND size_bytes = $size AND mtime_ticks = $mtime";
        command.Parameters.AddWithValue("$path", path);
        command.Parameters.AddWithValue("$size", stamp.SizeBytes);
        command.Parameters.AddWithValue("$mtime", stamp.MtimeTicks);
        return command.ExecuteScalar() is byte[] bytes ? LogMelExcerpt.FromBytes(bytes) : null;
    }

    /// <summary>
    /// Stores fresh analyses (taking their log-mel excerpts) and lasting failures, and the ledger rows of every analysis
    /// attempt, in one transaction. A success replaces a cached failure of the same path and the other way round.
    /// </summary>
    public void SaveAnalyses(string runId, string cacheKey, IEnumerable<AnalyzedTrack> results)
    {
        using var transaction = _connection.BeginTransaction();
        using var upsert = _connection.CreateCommand();
        upsert.Transaction = transaction;
        foreach (var result in results.Where(r => !r.FromCache))
        {
            var path = result.Track.Track.Path;
            var stamp = result.Track.Stamp!.Value;
            upsert.Parameters.Clear();
            upsert.Parameters.AddWithValue("$path", path);
            upsert.Parameters.AddWithValue("$key", cacheKey);
            upsert.Parameters.AddWithValue("$size", stamp.SizeBytes);
            upsert.Parameters.AddWithValue("$mtime", stamp.MtimeTicks);
            if (result.Analysis is { } analysis)
            {
                var f = result.CropFingerprint;
                upsert.CommandText = """
                    DELETE FROM analysis_failures WHERE path = $path;
                    INSERT OR REPLACE INTO analysis_cache (path, cache_key, size_bytes, mtime_ticks, analysis_json, fingerprint_raw,
                        fingerprint_compressed, fingerprint_hash, fingerprint_s, fingerprint_tried, log_mel_excerpt, decoded_audio_key)
                    VALUES ($path, $key, $size, $mtime, $json, $raw, $compressed, $hash, $fp_s, $tried, $mel, $audio_key)
                    """;
                upsert.Parameters.AddWithValue("$json", JsonSerializer.Serialize(analysis, AnalysisJson));
                upsert.Parameters.AddWithValue("$raw", f is null ? DBNull.Value : Bytes(f.Raw));
                upsert.Parameters.AddWithValue("$compressed", (object?)f?.Compressed ?? DBNull.Value);
                upsert.Parameters.AddWithValue("$hash", f is null ? DBNull.Value : (long)f.Hash);
                upsert.Parameters.AddWithValue("$fp_s", (object?)f?.FedSeconds ?? DBNull.Value);
                upsert.Parameters.AddWithValue("$tried", result.FingerprintTried);
                upsert.Parameters.AddWithValue("$audio_key", (object?)result.DecodedAudioKey ?? DBNull.Value);
                upsert.Parameters.AddWithValue("$mel", result.LogMelForStore is { } mel ? mel.Take().ToBytes() : DBNull.Value);
                upsert.ExecuteNonQuery();
            }
            else if (result.Error is { } error && IsLasting(error.Code))
            {
                upsert.CommandText = """
                    DELETE FROM analysis_cache WHERE path = $path;
                    INSERT OR REPLACE INTO analysis_failures VALUES ($path, $key, $size, $mtime, $code, $message)
                    """;
                upsert.Parameters.AddWithValue("$code", error.Code.Name());
                upsert.Parameters.AddWithValue("$message", error.Message);
                upsert.ExecuteNonQuery();
            }
            // A limit's refusal from a cached probe is no work, so an unchanged rerun adds no row; it still ends a dead letter.
            if (result is { Error.Code: var code, Track.FromCache: true } && code.IsLimitRefusal())
            {
                RecordDeadLetter(transaction, runId, path, AnalysisStage.Name, result.Error, result.Attempts);
                continue;
            }
            InsertLedger(transaction, runId, path, AnalysisStage.Name, result.Error, result.StartedUtc, result.ElapsedMs,
                attempts: result.Attempts, metrics: result.Analysis is { } a
                    ? new { decoder = a.Decoder, crop_s = a.CropLengthSeconds, speech_probability = a.SpeechProbability, loudness_lufs = a.LoudnessLufs,
                        fingerprint_items = result.CropFingerprint?.Raw.Length }
                    : null);
        }
        transaction.Commit();
    }

    /// <summary>
    /// Analysis failures that stay true while the file is unchanged: its content cannot be decoded or yields no finite
    /// features. Too long and too short follow from the cached probe and the job's limits, so they cost nothing to
    /// repeat; I/O errors and time-outs can pass.
    /// </summary>
    private static bool IsLasting(ErrorCode code) => code is ErrorCode.FileCorrupt or ErrorCode.CodecUnsupported or ErrorCode.FeatureNan;

    /// <summary>
    /// A file whose every attempt failed with a transient error becomes a dead letter; one that then succeeds (or
    /// fails for a lasting reason) is taken off the list.
    /// </summary>
    private void RecordDeadLetter(SqliteTransaction transaction, string runId, string path, string stage, FileError? error, int attempts)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.Parameters.AddWithValue("$path", path);
        command.Parameters.AddWithValue("$stage", stage);
        if (error is not null && RetryPolicy.IsTransient(error.Code))
        {
            command.CommandText = "INSERT OR REPLACE INTO dead_letters VALUES ($path, $stage, $code, $message, $attempts, $run, $failed)";
            command.Parameters.AddWithValue("$code", error.Code.Name());
            command.Parameters.AddWithValue("$message", error.Message);
            command.Parameters.AddWithValue("$attempts", attempts);
            command.Parameters.AddWithValue("$run", runId);
            command.Parameters.AddWithValue("$failed", DateTime.UtcNow.ToString("O"));
        }
        else command.CommandText = "DELETE FROM dead_letters WHERE path = $path AND stage = $stage";
        command.ExecuteNonQuery();
    }

    /// <summary>Files that failed every attempt with a transient error, newest first.</summary>
    public static List<DeadLetter> ReadDeadLetters(string stateFolder)
    {
        var path = Path.Combine(stateFolder, FileName);
        var letters = new List<DeadLetter>();
        if (!File.Exists(path)) return letters;
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT path, stage, error_code, error_message, attempts, failed_utc FROM dead_letters ORDER BY failed_utc DESC";
        using var reader = command.ExecuteReader();
        while (reader.Read())
            letters.Add(new DeadLetter(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4), reader.GetString(5)));
        return letters;
    }

    /// <summary>Every stored vector of one encoder version (the encoder's own output, before any standardisation), by path.</summary>
    public Dictionary<string, (FileStamp Stamp, float[] Vector)> LoadEmbeddings(string modelVersion)
    {
        var stored = new Dictionary<string, (FileStamp, float[])>(StringComparer.Ordinal);
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT path, size_bytes, mtime_ticks, vector FROM embeddings WHERE model_version = $version";
        command.Parameters.AddWithValue("$version", modelVersion);
        using var reader = command.ExecuteReader();
        while (reader.Read())
            stored[reader.GetString(0)] = (new FileStamp(reader.GetInt64(1), reader.GetInt64(2)), Floats((byte[])reader.GetValue(3)));
        return stored;
    }

    /// <summary>The stamp of every stored vector of one encoder version, by path (to tell which vectors are missing or stale).</summary>
    public Dictionary<string, FileStamp> LoadEmbeddingStamps(string modelVersion)
    {
        var stamps = new Dictionary<string, FileStamp>(StringComparer.Ordinal);
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT path, size_bytes, mtime_ticks FROM embeddings WHERE model_version = $version";
        command.Parameters.AddWithValue("$version", modelVersion);
        using var reader = command.ExecuteReader();
        while (reader.Read())
            stamps[reader.GetString(0)] = new FileStamp(reader.GetInt64(1), reader.GetInt64(2));
        return stamps;
    }

    /// <summary>The stored vectors of one encoder version for a batch of <paramref name="paths"/>, by path (one query).</summary>
    public Dictionary<string, float[]> LoadEmbeddings(string modelVersion, IReadOnlyList<string> paths) => LoadByPath(paths,
        "SELECT e.path, e.vector FROM json_each($paths) AS wanted JOIN embeddings AS e ON e.path = wanted.value WHERE e.model_version = $key",
        modelVersion, reader => Floats((byte[])reader.GetValue(1)));

    /// <summary>
    /// One value per path of <paramref name="paths"/> that <paramref name="query"/> finds (its first column the path, bound to
    /// <c>$paths</c> as a JSON list and <c>$key</c>): one query for a batch.
    /// </summary>
    private Dictionary<string, T> LoadByPath<T>(IReadOnlyList<string> paths, string query, string key, Func<SqliteDataReader, T> read)
    {
        var values = new Dictionary<string, T>(paths.Count, StringComparer.Ordinal);
        using var command = _connection.CreateCommand();
        command.CommandText = query;
        command.Parameters.AddWithValue("$paths", JsonSerializer.Serialize(paths));
        command.Parameters.AddWithValue("$key", key);
        using var reader = command.ExecuteReader();
        while (reader.Read())
            values[reader.GetString(0)] = read(reader);
        return values;
    }

    public void SaveEmbeddings(string modelVersion, IEnumerable<(string Path, FileStamp Stamp, float[] Vector)> vectors)
    {
        using var transaction = _connection.BeginTransaction();
        using var upsert = _connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = "INSERT OR REPLACE INTO embeddings VALUES ($path, $version, $size, $mtime, $vector)";
        foreach (var (path, stamp, vector) in vectors)
        {
            upsert.Parameters.Clear();
            upsert.Parameters.AddWithValue("$path", path);
            upsert.Parameters.AddWithValue("$version", modelVersion);
            upsert.Parameters.AddWithValue("$size", stamp.SizeBytes);
            upsert.Parameters.AddWithValue("$mtime", stamp.MtimeTicks);
            upsert.Parameters.AddWithValue("$vector", Bytes(vector));
            upsert.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    /// <summary>
    /// Imports a shard's state store (<c>ssis merge</c>): its cached results replace this store's rows for the same keys
    /// (a success replaces a cached failure of the same path and the other way round, as in <see cref="SaveAnalyses"/>),
    /// and its ledger rows are added once per run. One transaction; importing the same shard again changes nothing.
    /// Returns the cached rows imported.
    /// </summary>
    public long ImportShard(string shardStateFolder)
    {
        var path = Path.Combine(shardStateFolder, FileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"the shard's state store {path} does not exist", path);
        using (var attach = _connection.CreateCommand())
        {
            attach.CommandText = "ATTACH DATABASE $path AS shard";
            attach.Parameters.AddWithValue("$path", path);
            attach.ExecuteNonQuery();
        }
        try
        {
            long rows = 0;
            using (var transaction = _connection.BeginTransaction())
            {
                Execute(transaction, """
                    DELETE FROM main.analysis_failures WHERE path IN (SELECT path FROM shard.analysis_cache);
                    DELETE FROM main.analysis_cache WHERE path IN (SELECT path FROM shard.analysis_failures);
                    """);
                foreach (var table in PerFileTables)
                {
                    var columns = string.Join(", ", ColumnsOf(table, transaction));
                    rows += Execute(transaction, $"INSERT OR REPLACE INTO main.{table} ({columns}) SELECT {columns} FROM shard.{table}");
                }
                var ledgerColumns = string.Join(", ", ColumnsOf("ledger", transaction));
                Execute(transaction, $"""
                    INSERT INTO main.ledger ({ledgerColumns}) SELECT {ledgerColumns} FROM shard.ledger
                    WHERE run_id NOT IN (SELECT DISTINCT run_id FROM main.ledger)
                    """);
                transaction.Commit();
            }
            return rows;
        }
        finally
        {
            Execute("DETACH DATABASE shard");
        }
    }

    /// <summary>A table's columns in this store (a shard's store is made by the same code, so it has them too).</summary>
    private List<string> ColumnsOf(string table, SqliteTransaction transaction)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
        using var reader = command.ExecuteReader();
        var columns = new List<string>();
        while (reader.Read()) columns.Add(reader.GetString(0));
        return columns;
    }

    private int Execute(SqliteTransaction transaction, string sql)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    private static byte[] Bytes<T>(T[] values) where T : unmanaged => System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
    private static uint[] Uints(byte[] bytes) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(bytes).ToArray();
    private static float[] Floats(byte[] bytes) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray();

    /// <summary>
    /// Results that stay true while the file is unchanged: successes and content errors. Missing files, permission
    /// and I/O errors, and time-outs can change without the file changing, so they are probed again next run.
    /// </summary>
    private static bool IsCacheable(ProbeOutcome outcome) =>
        outcome.Error is null || outcome.Error.Code is ErrorCode.FileCorrupt or ErrorCode.CodecUnsupported;

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose() => _connection.Dispose();
}

/// <summary>A probe result and the version of the file it was computed from.</summary>
public sealed record CachedProbe(FileStamp Stamp, ProbeOutcome Outcome);

/// <summary>A file that failed every attempt of a stage with a transient error.</summary>
public sealed record DeadLetter(string Path, string Stage, string ErrorCode, string ErrorMessage, int Attempts, string FailedUtc);

/// <summary>A fingerprint and the version of the file it was computed from.</summary>
public sealed record CachedFingerprint(FileStamp Stamp, AudioFingerprint Fingerprint);
