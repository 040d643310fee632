using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Classify;
using SSIS.Batch.Engine.Dedupe;
using SSIS.Batch.Engine.Embedding;
using SSIS.Batch.Engine.Embedding.Contrastive;
using SSIS.Batch.Engine.Embedding.Onnx;
using SSIS.Batch.Engine.FeaturePacks;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Rating;
using SSIS.Batch.Engine.Fingerprint;
using SSIS.Batch.Engine.Grouping;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Engine.Segments;

namespace SSIS.Batch.Jobs.Config;

/// <summary>
/// A YAML job config (see README "Job config"). Relative paths are resolved against the config file's folder.
/// Every problem is reported before any work starts, naming the key and its line.
/// </summary>
public static class JobConfig
{
    private static readonly string[] TopLevelKeys = ["catalog", "output", "state", "workers", "probe", "group", "dedupe", "fingerprint", "analysis", "speech", "retries", "embed", "model", "recommend", "classify", "segments", "feature_packs"];

    public static JobOptions Load(string path, int? workersOverride = null, bool retryFailed = false)
    {
        if (Directory.Exists(path)) throw new ConfigException($"{path} is a folder: give the job's YAML file (ssis run configs/x.yaml; see configs/ for examples).");
        if (!File.Exists(path)) throw new ConfigException($"Job config not found: {path}");
        string yaml;
        try
        {
            yaml = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"The job config {path} cannot be read: {e.Message}");
        }
        return Parse(path, yaml, workersOverride) with { RetryFailed = retryFailed };
    }

    public static JobOptions Parse(string file, string yaml, int? workersOverride = null)
    {
        var root = YamlSection.Parse(file, yaml);
        var baseFolder = Path.GetDirectoryName(Path.GetFullPath(file))!;
        string Resolve(string p) => Path.GetFullPath(Path.Combine(baseFolder, ExpandHome(p)));

        var catalog = ReadCatalog(root.Section("catalog") ?? throw new ConfigException($"{file}: missing required section 'catalog' (clementine: or folder:)."), Resolve);
        // output: a path, or a section with the path and the file formats.
        var outputSection = root.IsSection("output") ? root.Section("output")! : null;
        var output = Resolve(outputSection?.RequiredString("path") ?? root.RequiredString("output"));
        var formats = ReadFormats(outputSection);
        var state = root.String("state") is { } s ? Resolve(s) : Path.Combine(output, "state");
        // An output or state folder inside the library holds the run's own files (previews, shard states), never the library's;
        // one that is the library's own folder would leave nothing to scan.
        if (catalog is FolderCatalog folderCatalog)
        {
            foreach (var (key, folder) in new[] { ("output", output), ("state", state) })
                if (SameFolder(folder, folderCatalog.Root))
                    throw root.Has(key)
                        ? root.Error(key, $"{folder} is the library folder (catalog.folder): give the run a folder of its own")
                        : new ConfigException($"{file}: the {key} folder {folder} is the library folder (catalog.folder): give 'output:' a folder of its own.");
            catalog = folderCatalog.Excluding(output, state).WithNameAliases(Path.Combine(state, NameAliases.StateSubfolder));
        }
        var workers = WorkersOption.Checked(workersOverride) ?? root.Int("workers", 1, Workers.Max) ?? Workers.Default;

        var probe = root.Section("probe");
        var ffprobe = probe?.String("ffprobe") ?? "ffprobe";
        probe?.RejectUnknownKeys(["ffprobe"]);

        var group = root.Section("group");
        var mode = group?.Enum<GroupingMode>("mode") ?? GroupingMode.Duration;
        var tolerance = group?.Double("duration_tolerance_s", 0, 60) ?? 2.0;
        group?.RejectUnknownKeys(["mode", "duration_tolerance_s"]);

        var fingerprint = ReadFingerprint(root.Section("fingerprint"), ReadPrefer(root.Section("dedupe")));
        var analysis = ReadAnalysis(root.Section("analysis"), root.Section("speech"), Resolve);
        var retries = root.Section("retries");
        var retryDefaults = new RetryPolicy();
        var retryPolicy = new RetryPolicy(
            retries?.Int("attempts", 1, 10) ?? retryDefaults.Attempts,
            retries?.Double("first_delay_s", 0, 60) ?? retryDefaults.FirstDelaySeconds,
            retries?.Double("multiplier", 1, 10) ?? retryDefaults.Multiplier);
        retries?.RejectUnknownKeys(["attempts", "first_delay_s", "multiplier"]);

        var embed = ReadEmbed(root.Section("embed"), Resolve);

        var (rating, recommend) = ReadRating(root.Section("model"), root.Section("recommend"), Resolve);
        var encoderNames = (embed ?? new EmbedOptions()).EncoderNames;
        if (root.Section("model")?.Has("encoder") != true)
            rating = DefaultModelInput(rating ?? new RatingOptions(), encoderNames, root.Section("embed"));
        else if (RatingDataset.Parts(rating!.Encoder).FirstOrDefault(part => !encoderNames.Contains(part)) is { } missing)
            throw root.Section("model")!.Error("encoder", $"'{missing}' is not among embed.encoders ({string.Join(", ", encoderNames)})");
        var classify = ReadClassifiers(root, Resolve);
        var segments = ReadSegments(root.Section("segments"));
        var featurePacks = ReadFeaturePacks(root.Section("feature_packs"));
        if (featurePacks is { Enabled: true } && (segments ?? new SegmentSettings()).Files == SegmentFiles.None)
            throw root.Section("feature_packs")!.Error("enabled", "packs are written for the files segmented whole: set segments.files to speech or all");
        root.RejectUnknownKeys(TopLevelKeys);
        return new JobOptions(catalog, output, state, workers, mode, tolerance, ffprobe, fingerprint, analysis, retryPolicy, Embed: embed, Rating: rating, Recommend: recommend,
            Formats: formats, Classify: classify, Segments: segments, FeaturePacks: featurePacks);
    }

    /// <summary>output.formats: parquet, or parquet and arrow (default: parquet).</summary>
    private static OutputFormats ReadFormats(YamlSection? output)
    {
        output?.RejectUnknownKeys(["path", "formats"]);
        var names = output?.StringList("formats");
        if (names is null) return OutputFormats.Parquet;
        if (names.Count == 0) throw output!.Error("formats", "expected at least one of parquet, arrow");
        var formats = (OutputFormats)0;
        foreach (var name in names)
        {
            var known = OutputFormatNames.All.Where(f => f.Name == name).Select(f => f.Format).FirstOrDefault();
            formats |= known != 0 ? known : throw output!.Error("formats", $"unknown format '{name}'; expected parquet or arrow");
        }
        if (!formats.HasFlag(OutputFormats.Parquet))
            throw output!.Error("formats", "arrow needs parquet beside it: the rating model and the commands that read a run (recommend, similar, stats, duplicates, report) read the Parquet tables; give [parquet, arrow]");
        return formats;
    }

    /// <summary>
    /// model.encoder when the job does not name it: the default's parts that embed.encoders lists, so a job that lists
    /// only dsp (or dsp and spectral) still trains on what it computes.
    /// </summary>
    private static RatingOptions DefaultModelInput(RatingOptions rating, IReadOnlyList<string> encoderNames, YamlSection? embed)
    {
        var parts = RatingDataset.Parts(RatingOptions.DefaultEncoder).Where(encoderNames.Contains).ToList();
        if (parts.Count > 0) return rating with { Encoder = string.Join(RatingDataset.Combined, parts) };
        if (!rating.Enabled) return rating;
        throw embed!.Error("encoders", $"the rating model reads {RatingOptions.DefaultEncoder} by default, and embed.encoders lists none of them: "
            + $"add one, or set model.encoder to one of {string.Join(", ", encoderNames)}");
    }

    private static (RatingOptions?, RecommendOptions?) ReadRating(YamlSection? model, YamlSection? recommend, Func<string, string> resolve)
    {
        RatingOptions? rating = null;
        if (model is not null)
        {
            var d = new RatingOptions();
            IReadOnlyList<int>? hidden = model.StringList("hidden_units")?.Select(h => int.TryParse(h, out var units) && units is > 0 and <= 4096 ? units
                : throw model.Error("hidden_units", $"expected whole numbers from 1 to 4096, got '{h}'")).ToList();
            rating = new RatingOptions(
                Enabled: model.Bool("enabled") ?? d.Enabled,
                Encoder: model.String("encoder") ?? d.Encoder,
                Regressor: model.Enum<RegressorKind>("regressor") ?? d.Regressor,
                HiddenUnits: hidden,
                Dropout: model.Double("dropout", 0, 0.9) ?? d.Dropout,
                MaxEpochs: model.Int("max_epochs", 1, 100_000) ?? d.MaxEpochs,
                Patience: model.Int("patience", 1, 10_000) ?? d.Patience,
                LearningRate: model.Double("learning_rate", 1e-6, 1) ?? d.LearningRate,
                ValidationShare: model.Double("validation_share", 0, 0.5) ?? d.ValidationShare,
                Folds: model.Int("folds", 2, 50) ?? d.Folds,
                MinRated: model.Int("min_rated", 2, 1_000_000) ?? d.MinRated,
                LikeThreshold: model.Double("like_threshold", 0, 1) ?? d.LikeThreshold,
                Seed: (ulong)(model.Int("seed", 0, int.MaxValue) ?? (int)d.Seed),
                JointMaxEpochs: model.Int("joint_max_epochs", 1, 10_000) ?? d.JointMaxEpochs,
                EncoderLearningRate: model.Double("encoder_learning_rate", 0, 1) ?? d.EncoderLearningRate,
                Trees: model.Int("trees", 1, 10_000) ?? d.Trees,
                Leaves: model.Int("leaves", 2, 1024) ?? d.Leaves,
                MinExamplesPerLeaf: model.Int("min_examples_per_leaf", 1, 100_000) ?? d.MinExamplesPerLeaf,
                TreeLearningRate: model.Double("tree_learning_rate", 1e-4, 1) ?? d.TreeLearningRate);
            model.RejectUnknownKeys(["enabled", "encoder", "regressor", "hidden_units", "dropout", "max_epochs", "patience", "learning_rate",
                "validation_share", "folds", "min_rated", "like_threshold", "seed", "joint_max_epochs", "encoder_learning_rate",
                "trees", "leaves", "min_examples_per_leaf", "tree_learning_rate"]);
            if (rating.Regressor == RegressorKind.Joint && rating.Encoder != Encoders.ContrastiveName)
                throw model.Error("regressor", $"joint fine-tunes the contrastive encoder: set model.encoder to contrastive (it is '{rating.Encoder}')");
        }
        RecommendOptions? recommendations = null;
        if (recommend is not null)
        {
            var d = new RecommendOptions();
            recommendations = new RecommendOptions(
                TopN: recommend.Int("top_n", 1, RecommendOptions.MaxCount) ?? d.TopN,
                MinRating: recommend.Double("min_rating", 0, 1) ?? d.MinRating,
                PerArtistCap: recommend.Int("per_artist", 1, RecommendOptions.MaxCount),
                Diversity: recommend.Double("diversity", 0, RecommendOptions.MaxDiversity) ?? d.Diversity,
                XspfPath: recommend.String("xspf") is { } x ? resolve(x) : null);
            recommend.RejectUnknownKeys(["top_n", "min_rating", "per_artist", "diversity", "xspf"]);
            if (recommendations.XspfPath is { } playlist && PlaylistPath.Problem(playlist, PlaylistPath.Xspf) is { } problem)
                throw recommend.Error("xspf", problem);
        }
        return (rating, recommendations);
    }

    private static EmbedOptions? ReadEmbed(YamlSection? section, Func<string, string> resolve)
    {
        if (section is null) return null;
        var onnx = (section.SectionList("onnx") ?? []).Select(entry => ReadOnnx(entry, resolve)).ToList();
        foreach (var duplicate in onnx.GroupBy(o => o.Name).Where(g => g.Count() > 1 || g.Key is Encoders.DspName or Encoders.ContrastiveName or Encoders.SpectralName))
            throw section.Error("onnx", $"encoder name '{duplicate.Key}' is used twice or is a built-in name");
        var encoders = section.StringList("encoders");
        var available = Encoders.Available(onnx);
        foreach (var name in encoders ?? [])
            if (!available.Contains(name))
                throw section.Error("encoders", $"unknown encoder '{name}'; available: {string.Join(", ", available)} (ONNX encoders are named under embed.onnx)");
        var contrastive = section.Section("contrastive");
        var defaults = new ContrastiveSettings();
        var settings = contrastive is null ? null : new ContrastiveSettings(
            Dimension: contrastive.Int("dimension", 2, 1024) ?? defaults.Dimension,
            HiddenUnits: contrastive.Int("hidden_units", 4, 4096) ?? defaults.HiddenUnits,
            ContextFrames: contrastive.Int("context_frames", 1, 32) ?? defaults.ContextFrames,
            WindowFrames: contrastive.Int("window_frames", 8, 1500) ?? defaults.WindowFrames,
            ProjectionDimension: contrastive.Int("projection_dimension", 2, 1024) ?? defaults.ProjectionDimension,
            Temperature: contrastive.Double("temperature", 0.01, 10) ?? defaults.Temperature,
            Epochs: contrastive.Int("epochs", 1, 10_000) ?? defaults.Epochs,
            BatchTracks: contrastive.Int("batch_tracks", 2, 4096) ?? defaults.BatchTracks,
            LearningRate: contrastive.Double("learning_rate", 1e-6, 1) ?? defaults.LearningRate,
            Seed: (ulong)(contrastive.Int("seed", 0, int.MaxValue) ?? (int)defaults.Seed),
            GainDb: contrastive.Double("gain_db", 0, 40) ?? defaults.GainDb,
            NoiseStd: contrastive.Double("noise_std", 0, 10) ?? defaults.NoiseStd,
            MaxBandShift: contrastive.Int("max_band_shift", 0, 8) ?? defaults.MaxBandShift);
        var checkpoint = contrastive?.String("checkpoint") is { } c ? resolve(c) : null;
        contrastive?.RejectUnknownKeys(["dimension", "hidden_units", "context_frames", "window_frames", "projection_dimension", "temperature",
            "epochs", "batch_tracks", "learning_rate", "seed", "gain_db", "noise_std", "max_band_shift", "checkpoint"]);
        section.RejectUnknownKeys(["encoders", "contrastive", "onnx"]);
        return new EmbedOptions(encoders, settings, checkpoint, onnx);
    }

    private static OnnxEncoderSettings ReadOnnx(YamlSection entry, Func<string, string> resolve)
    {
        var settings = ReadOnnxWindows(entry, resolve) with
        {
            Outputs = entry.StringList("outputs"),
            Pooling = entry.String("pooling") switch
            {
                null or "mean" => OnnxPooling.Mean,
                "mean+std" => OnnxPooling.MeanStd,
                "layers" => OnnxPooling.Layers,
                var other => throw entry.Error("pooling", $"expected mean, mean+std or layers, got '{other}'"),
            },
        };
        entry.RejectUnknownKeys([.. OnnxWindowKeys, "outputs", "pooling"]);
        return settings;
    }

    /// <summary>The keys of an ONNX model and of how the crop is cut into its windows (embed.onnx[] and classify[] share them).</summary>
    private static readonly string[] OnnxWindowKeys = ["name", "model", "input", "sample_rate_hz", "mel_bands", "window_s", "hop_s", "windows_per_run"];

    private static OnnxEncoderSettings ReadOnnxWindows(YamlSection entry, Func<string, string> resolve)
    {
        var defaults = new OnnxEncoderSettings("", "");
        var name = entry.RequiredString("name");
        var model = resolve(entry.RequiredString("model"));
        if (!File.Exists(model)) throw entry.Error("model", $"no ONNX file at {model}");
        var window = entry.Double("window_s", 0.001, 60) ?? defaults.WindowSeconds;
        return new OnnxEncoderSettings(name, model,
            Input: entry.String("input") switch
            {
                null or "waveform" => OnnxInputKind.Waveform,
                "log-mel" => OnnxInputKind.LogMel,
                var other => throw entry.Error("input", $"expected waveform or log-mel, got '{other}'"),
            },
            SampleRateHz: entry.Int("sample_rate_hz", 4000, 192_000) ?? defaults.SampleRateHz,
            MelBands: entry.Int("mel_bands", 8, 256) ?? defaults.MelBands,
            WindowSeconds: window,
            HopSeconds: entry.Double("hop_s", 0.001, 60) ?? window,
            WindowsPerRun: entry.Int("windows_per_run", 1, 4096) ?? defaults.WindowsPerRun);
    }

    /// <summary>segments: which files are segmented whole, and any of the segmenter's declared parameters.</summary>
    private static SegmentSettings? ReadSegments(YamlSection? section)
    {
        if (section is null) return null;
        var files = section.Enum<SegmentFiles>("files") ?? SegmentFiles.Speech;
        var options = new SegmentOptions();
        foreach (var parameter in SegmentOptions.Parameters)
            if (section.Double(parameter.Key, parameter.Min, parameter.Max) is { } value)
                options = parameter.With(options, value);
        if (options.Problems() is [var first, ..]) throw section.Error(first.Split(':')[0], first[(first.IndexOf(':') + 2)..]);
        section.RejectUnknownKeys(["files", .. SegmentOptions.Parameters.Select(p => p.Key)]);
        return new SegmentSettings(files, options);
    }

    /// <summary>feature_packs: whether each file segmented whole gets a pack, and the seconds per row group.</summary>
    private static FeaturePackOptions? ReadFeaturePacks(YamlSection? section)
    {
        if (section is null) return null;
        var defaults = new FeaturePackOptions();
        var options = new FeaturePackOptions(
            Enabled: section.Bool("enabled") ?? defaults.Enabled,
            RowGroupSeconds: section.Int("row_group_s", FeaturePackOptions.MinRowGroupSeconds, FeaturePackOptions.MaxRowGroupSeconds) ?? defaults.RowGroupSeconds);
        section.RejectUnknownKeys(["enabled", "row_group_s"]);
        return options;
    }

    /// <summary>
    /// classify: a list of ONNX classifiers. Each model is opened here, so one that does not load, does not fit its
    /// declared input or disagrees with its labels file fails at its key before any work starts.
    /// </summary>
    private static IReadOnlyList<ClassifierSettings>? ReadClassifiers(YamlSection root, Func<string, string> resolve)
    {
        var entries = root.SectionList("classify");
        if (entries is null) return null;
        var classifiers = entries.Select(entry =>
        {
            var defaults = new ClassifierSettings("", "", "");
            var windows = ReadOnnxWindows(entry, resolve);
            var labels = resolve(entry.RequiredString("labels"));
            if (!File.Exists(labels)) throw entry.Error("labels", $"no labels file at {labels} (one label per line, in the model's output order)");
            var settings = new ClassifierSettings(windows.Name, windows.ModelPath, labels, windows.Input, windows.SampleRateHz, windows.MelBands,
                windows.WindowSeconds, windows.HopSeconds,
                ApplyTo: entry.Enum<ClassifyTracks>("apply_to") ?? defaults.ApplyTo,
                Pooling: entry.Enum<ClassifierPooling>("pooling") ?? defaults.Pooling,
                Activation: entry.Enum<ScoreActivation>("activation") ?? defaults.Activation,
                WindowsPerRun: windows.WindowsPerRun);
            entry.RejectUnknownKeys([.. OnnxWindowKeys, "labels", "apply_to", "pooling", "activation"]);
            try
            {
                new OnnxClassifier(settings).Dispose();
            }
            catch (Exception e) when (e is ArgumentException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
            {
                throw entry.Error("model", e.Message.TrimEnd('.'));
            }
            return settings;
        }).ToList();
        foreach (var twice in classifiers.GroupBy(c => c.Name).Where(g => g.Count() > 1))
            throw root.Error("classify", $"classifier name '{twice.Key}' is used twice");
        return classifiers;
    }

    /// <summary>dedupe.prefer: the canonical copy's criteria in order; an unknown or repeated name fails at its key.</summary>
    private static IReadOnlyList<CanonicalCriterion>? ReadPrefer(YamlSection? section)
    {
        if (section is null) return null;
        var names = section.StringList("prefer");
        section.RejectUnknownKeys(["prefer"]);
        if (names is null) return null;
        if (names.Count == 0) throw section.Error("prefer", "expected at least one criterion");
        var allowed = string.Join(", ", Enum.GetValues<CanonicalCriterion>().Select(c => c.Name()));
        var criteria = names.Select(n => CanonicalPreference.Parse(n)
                                         ?? throw section.Error("prefer", $"unknown criterion '{n}'; expected some of: {allowed}")).ToList();
        if (names.GroupBy(n => CanonicalPreference.Parse(n)).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw section.Error("prefer", $"'{twice.First()}' is listed twice");
        return criteria;
    }

    private static FingerprintOptions ReadFingerprint(YamlSection? section, IReadOnlyList<CanonicalCriterion>? prefer)
    {
        var defaults = new FingerprintOptions();
        var matching = new DedupeOptions(Prefer: prefer);
        if (section is null) return defaults with { Matching = matching };
        var options = new FingerprintOptions(
            Enabled: section.Bool("enabled") ?? defaults.Enabled,
            Source: section.Enum<FingerprintSource>("source") ?? defaults.Source,
            Matching: new DedupeOptions(
                Threshold: section.Double("threshold", 0.5, 1.0) ?? matching.Threshold,
                MaxOffsetItems: (int)Math.Round((section.Double("max_offset_s", 0, 60) ?? matching.MaxOffsetItems * AudioFingerprint.ItemSeconds)
                                                / AudioFingerprint.ItemSeconds),
                MaxDurationDifferenceSeconds: section.Double("max_duration_difference_s", 0, 600) ?? matching.MaxDurationDifferenceSeconds,
                Prefer: prefer),
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
            AnalysedSeconds: speech.String("analysed_s") is "all" ? null : speech.Double("analysed_s", 1, 600) ?? speechDefaults.AnalysedSeconds,
            SegmentedSeconds: speech.String("segmented_s") is "all" ? null : speech.Double("segmented_s", 1, 600) ?? speechDefaults.SegmentedSeconds);
        speech?.RejectUnknownKeys(["detector", "model", "threshold", "streams", "analysed_s", "segmented_s"]);
        // The segmenter's weights were trained on the shipped Silero's probabilities: another Silero would feed them
        // features they never saw, and the heuristic reads no model.
        if (speechOptions is { ModelPath: not null, Detector: not SpeechDetectorKind.Silero })
            throw speech!.Error("model", $"is read by 'speech.detector: silero' only, and the detector is {speechOptions.Detector.ToString().ToLowerInvariant()} " +
                                         "(the segmenter runs the Silero model its weights were trained with): set 'speech.detector: silero' or remove 'speech.model'");
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
        if (options.CropSettings is { } limits && limits.MinDurationSeconds > limits.MaxDurationSeconds)
            throw analysis.Error(analysis.Has("min_duration_s") ? "min_duration_s" : "max_duration_s",
                $"the minimum ({limits.MinDurationSeconds:0.###} s) is above the maximum ({limits.MaxDurationSeconds:0.###} s): every file would be refused");
        return options;
    }

    private static bool SameFolder(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)), StringComparison.Ordinal)
        || (RealPath.Of(a) is { } realA && realA == RealPath.Of(b));

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
        if (extensions is { Count: 0 }) throw section.Error("extensions", "expected at least one extension (leave the key out for the default list)");
        if (folder is not null) return new FolderCatalog(resolve(folder), extensions ?? FolderCatalog.DefaultExtensions);
        throw new ConfigException("key 'catalog': give 'clementine: <path to clementine.db>' or 'folder: <music folder>'.");
    }

    private static string ExpandHome(string path) =>
        path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..])
            : path;
}
