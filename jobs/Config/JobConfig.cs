using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Dedupe;
using SSIS.Batch.Engine.Embedding;
using SSIS.Batch.Engine.Fingerprint;
using SSIS.Batch.Engine.Grouping;
using SSIS.Batch.Engine.Pipeline;

namespace SSIS.Batch.Jobs.Config;

/// <summary>
/// A YAML job config (see README "Job config"). Relative paths are resolved against the config file's folder.
/// Every problem is reported before any work starts, naming the key and its line.
/// </summary>
public static class JobConfig
{
    private static readonly string[] TopLevelKeys = ["catalog", "output", "state", "workers", "probe", "group", "fingerprint", "analysis", "speech", "retries", "embed"];

    public static JobOptions Load(string path, int? workersOverride = null, bool retryFailed = false)
    {
        if (!File.Exists(path)) throw new ConfigException($"Job config not found: {path}");
        return Parse(path, File.ReadAllText(path), workersOverride) with { RetryFailed = retryFailed };
    }

    public static JobOptions Parse(string file, string yaml, int? workersOverride = null)
    {
        var root = YamlSection.Parse(file, yaml);
        var baseFolder = Path.GetDirectoryName(Path.GetFullPath(file))!;
        string Resolve(string p) => Path.GetFullPath(Path.Combine(baseFolder, ExpandHome(p)));

        var catalog = ReadCatalog(root.Section("catalog") ?? throw new ConfigException($"{file}: missing required section 'catalog' (clementine: or folder:)."), Resolve);
        var output = Resolve(root.RequiredString("output"));
        var state = root.String("state") is { } s ? Resolve(s) : Path.Combine(output, "state");
        var workers = workersOverride ?? root.Int("workers", 1, 1024) ?? Workers.Default;

        var probe = root.Section("probe");
        var ffprobe = probe?.String("ffprobe") ?? "ffprobe";
        probe?.RejectUnknownKeys(["ffprobe"]);

        var group = root.Section("group");
        var mode = group?.Enum<GroupingMode>("mode") ?? GroupingMode.Duration;
        var tolerance = group?.Double("duration_tolerance_s", 0, 60) ?? 2.0;
        group?.RejectUnknownKeys(["mode", "duration_tolerance_s"]);

        var fingerprint = ReadFingerprint(root.Section("fingerprint"));
        var analysis = ReadAnalysis(root.Section("analysis"), root.Section("speech"), Resolve);
        var retries = root.Section("retries");
        var retryDefaults = new RetryPolicy();
        var retryPolicy = new RetryPolicy(
            retries?.Int("attempts", 1, 10) ?? retryDefaults.Attempts,
            retries?.Double("first_delay_s", 0, 60) ?? retryDefaults.FirstDelaySeconds,
            retries?.Double("multiplier", 1, 10) ?? retryDefaults.Multiplier);
        retries?.RejectUnknownKeys(["attempts", "first_delay_s", "multiplier"]);

        var embed = root.Section("embed");
        var encoders = embed?.StringList("encoders");
        foreach (var name in encoders ?? [])
            if (!Encoders.Available.Contains(name))
                throw embed!.Error("encoders", $"unknown encoder '{name}'; available: {string.Join(", ", Encoders.Available)}");
        embed?.RejectUnknownKeys(["encoders"]);

        root.RejectUnknownKeys(TopLevelKeys);
        return new JobOptions(catalog, output, state, workers, mode, tolerance, ffprobe, fingerprint, analysis, retryPolicy, Encoders: encoders);
    }

    private static FingerprintOptions ReadFingerprint(YamlSection? section)
    {
        var defaults = new FingerprintOptions();
        var matching = new DedupeOptions();
        if (section is null) return defaults;
        var options = new FingerprintOptions(
            Enabled: section.Bool("enabled") ?? defaults.Enabled,
            Source: section.Enum<FingerprintSource>("source") ?? defaults.Source,
            Matching: new DedupeOptions(
                Threshold: section.Double("threshold", 0.5, 1.0) ?? matching.Threshold,
                MaxOffsetItems: (int)Math.Round((section.Double("max_offset_s", 0, 60) ?? matching.MaxOffsetItems * AudioFingerprint.ItemSeconds)
                                                / AudioFingerprint.ItemSeconds),
                MaxDurationDifferenceSeconds: section.Double("max_duration_difference_s", 0, 600) ?? matching.MaxDurationDifferenceSeconds),
            FfmpegPath: section.String("ffmpeg") ?? defaults.FfmpegPath);
        section.RejectUnknownKeys(["enabled", "source", "threshold", "max_offset_s", "max_duration_difference_s", "ffmpeg"]);
        return options;
    }

    private static AnalysisOptions ReadAnalysis(YamlSection? analysis, YamlSection? speech, Func<string, string> resolve)
    {
        var defaults = new AnalysisOptions();
        var crop = new CropSpec();
        var speechDefaults = new SpeechOptions();
        var speechOptions = speech is null ? speechDefaults : new SpeechOptions(
            Detector: speech.Enum<SpeechDetectorKind>("detector") ?? speechDefaults.Detector,
            ModelPath: speech.String("model") is { } model ? resolve(model) : null,
            Threshold: speech.Double("threshold", 0, 1) ?? speechDefaults.Threshold,
            Streams: speech.Int("streams", 1, 64) ?? speechDefaults.Streams,
            AnalysedSeconds: speech.String("analysed_s") is "all" ? null : speech.Double("analysed_s", 1, 600) ?? speechDefaults.AnalysedSeconds);
        speech?.RejectUnknownKeys(["detector", "model", "threshold", "streams", "analysed_s"]);
        if (analysis is null) return defaults with { Speech = speechOptions };
        var options = new AnalysisOptions(
            Enabled: analysis.Bool("enabled") ?? defaults.Enabled,
            Crop: new CropSpec(
                CropSeconds: analysis.Double("crop_s", 5, 600) ?? crop.CropSeconds,
                MinDurationSeconds: analysis.Double("min_duration_s", 0.5, 600) ?? crop.MinDurationSeconds,
                MaxDurationSeconds: analysis.Double("max_duration_s", 1, 86_400) ?? crop.MaxDurationSeconds,
                TimeoutSeconds: analysis.Double("timeout_s", 1, 3600) ?? crop.TimeoutSeconds),
            Speech: speechOptions,
            WriteMel: analysis.Bool("write_mel") ?? defaults.WriteMel);
        analysis.RejectUnknownKeys(["enabled", "crop_s", "min_duration_s", "max_duration_s", "timeout_s", "write_mel"]);
        return options;
    }

    private static ITrackCatalog ReadCatalog(YamlSection section, Func<string, string> resolve)
    {
        var clementine = section.String("clementine");
        var folder = section.String("folder");
        var extensions = section.StringList("extensions");
        section.RejectUnknownKeys(["clementine", "folder", "extensions"]);
        if (clementine is not null && folder is not null)
            throw section.Error("folder", "give either 'clementine' or 'folder', not both");
        if (clementine is not null)
        {
            if (extensions is not null) throw section.Error("extensions", "only applies to a folder catalog");
            return new ClementineCatalog(resolve(clementine));
        }
        if (folder is not null) return new FolderCatalog(resolve(folder), extensions ?? FolderCatalog.DefaultExtensions);
        throw new ConfigException("key 'catalog': give 'clementine: <path to clementine.db>' or 'folder: <music folder>'.");
    }

    private static string ExpandHome(string path) =>
        path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..])
            : path;
}
