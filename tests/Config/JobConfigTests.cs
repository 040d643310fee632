using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Dedupe;
using SSIS.Batch.Engine.Fingerprint;
using SSIS.Batch.Engine.Grouping;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Engine.Rating;
using SSIS.Batch.Jobs.Config;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Config;

public class JobConfigTests
{
    private const string File = "/jobs/x.yaml";

    [Fact]
    public void A_full_config_resolves_paths_against_its_folder_and_applies_defaults()
    {
        var options = JobConfig.Parse(File, """
            catalog:
              folder: ../music
              extensions: [mp3, flac]
            output: out/x
            """);
        var catalog = Assert.IsType<FolderCatalog>(options.Catalog);
        Assert.Equal("folder:/music", catalog.Description);
        Assert.Equal("/jobs/out/x", options.OutputFolder);
        Assert.Equal("/jobs/out/x/state", options.StateFolder);
        Assert.Equal(Workers.Default, options.Workers);
        Assert.Equal(GroupingMode.Duration, options.GroupingMode);
        Assert.Equal(2.0, options.DurationToleranceSeconds);
    }

    [Fact]
    public void A_speech_model_is_read_by_the_silero_detector_and_refused_at_its_key_and_line_with_the_segmenter_or_heuristic()
    {
        var silero = JobConfig.Parse(File, "catalog: {folder: /m}\noutput: out\nspeech:\n  detector: silero\n  model: ../models/vad.onnx\n");
        Assert.Equal("/models/vad.onnx", silero.AnalysisSettings.SpeechSettings.ModelPath);
        foreach (var detector in new[] { "", "  detector: segmenter\n", "  detector: heuristic\n" })
        {
            var error = Assert.Throws<ConfigException>(() => JobConfig.Parse(File, $"catalog: {{folder: /m}}\noutput: out\nspeech:\n{detector}  model: vad.onnx\n"));
            Assert.Contains($"x.yaml:{(detector.Length == 0 ? 4 : 5)}:", error.Message);
            Assert.Contains("key 'speech.model'", error.Message);
            Assert.Contains("speech.detector: silero", error.Message);
        }
    }

    [Fact]
    public void Output_is_a_path_written_as_parquet_or_a_section_with_the_formats()
    {
        Assert.Equal(OutputFormats.Parquet, JobConfig.Parse(File, "catalog: {folder: /m}\noutput: out\n").Formats);
        var both = JobConfig.Parse(File, "catalog: {folder: /m}\noutput:\n  path: out\n  formats: [parquet, arrow]\n");
        Assert.Equal("/jobs/out", both.OutputFolder);
        Assert.Equal(OutputFormats.Parquet | OutputFormats.Arrow, both.Formats);
        Assert.Equal(OutputFormats.Parquet, JobConfig.Parse(File, "catalog: {folder: /m}\noutput: {path: out, formats: [parquet]}\n").Formats);
    }

    [Fact]
    public void Every_key_is_read()
    {
        var options = JobConfig.Parse(File, """
            catalog: { clementine: /home/u/.config/Clementine/clementine.db }
            output: /o
            state: /s
            workers: 3
            probe: { ffprobe: /usr/local/bin/ffprobe }
            group: { mode: strict, duration_tolerance_s: 0.5 }
            """);
        Assert.Equal("clementine:/home/u/.config/Clementine/clementine.db", options.Catalog.Description);
        Assert.Equal(("/o", "/s", 3, "/usr/local/bin/ffprobe", GroupingMode.Strict, 0.5),
            (options.OutputFolder, options.StateFolder, options.Workers, options.FfprobePath, options.GroupingMode, options.DurationToleranceSeconds));
    }

    [Fact]
    public void The_fingerprint_section_sets_the_source_and_the_matching_rules()
    {
        var options = JobConfig.Parse(File, """
            catalog: {folder: /m}
            output: /o
            fingerprint:
              source: acoustid
              threshold: 0.95
              max_offset_s: 5
              max_duration_difference_s: 3
            """);
        var f = options.FingerprintSettings;
        Assert.Equal((true, FingerprintSource.AcoustId, 0.95, 40, 3.0),
            (f.Enabled, f.Source, f.MatchingSettings.Threshold, f.MatchingSettings.MaxOffsetItems, f.MatchingSettings.MaxDurationDifferenceSeconds));
        Assert.Equal(FingerprintSource.Crop, JobConfig.Parse(File, "catalog: {folder: /m}\noutput: /o\n").FingerprintSettings.Source);
        Assert.False(JobConfig.Parse(File, "catalog: {folder: /m}\noutput: /o\nfingerprint: {enabled: no}\n").FingerprintSettings.Enabled);
    }

    [Fact]
    public void Dedupe_prefer_orders_the_canonical_criteria_and_defaults_to_quality_first()
    {
        var seed = JobConfig.Parse(File, "catalog: {folder: /m}\noutput: /o\ndedupe:\n  prefer: [rated, newest, shortest_path]\n");
        Assert.Equal([CanonicalCriterion.Rated, CanonicalCriterion.Newest, CanonicalCriterion.ShortestPath],
            seed.FingerprintSettings.MatchingSettings.PreferOrDefault);
        Assert.Equal(CanonicalPreference.Default, JobConfig.Parse(File, "catalog: {folder: /m}\noutput: /o\n").FingerprintSettings.MatchingSettings.PreferOrDefault);
    }

    [Fact]
    public void The_retries_section_sets_the_backoff()
    {
        var options = JobConfig.Parse(File, "catalog: {folder: /m}\noutput: /o\nretries: {attempts: 5, first_delay_s: 0.1, multiplier: 3}\n");
        Assert.Equal(new RetryPolicy(5, 0.1, 3), options.RetrySettings);
        Assert.Equal(new RetryPolicy(), JobConfig.Parse(File, "catalog: {folder: /m}\noutput: /o\n").RetrySettings);
        var error = Assert.Throws<ConfigException>(() => JobConfig.Parse(File, "catalog: {folder: /m}\noutput: /o\nretries: {attempts: 0}\n"));
        Assert.Contains("key 'retries.attempts'", error.Message);
    }

    [Fact]
    public void The_model_section_sets_the_boosted_trees()
    {
        var options = JobConfig.Parse(File, "catalog: {folder: /m}\noutput: /o\nmodel:\n  regressor: lightgbm\n  trees: 300\n  leaves: 16\n" +
                                            "  min_examples_per_leaf: 5\n  tree_learning_rate: 0.05\n").RatingSettings;
        Assert.Equal((RegressorKind.LightGbm, 300, 16, 5, 0.05),
            (options.Regressor, options.Trees, options.Leaves, options.MinExamplesPerLeaf, options.TreeLearningRate));
        Assert.Equal(RegressorKind.FastTree, JobConfig.Parse(File, "catalog: {folder: /m}\noutput: /o\nmodel: {regressor: fasttree}\n").RatingSettings.Regressor);
    }

    [Fact]
    public void The_rating_model_reads_dsp_spectral_and_contrastive_by_default_or_the_parts_of_it_a_job_lists()
    {
        var defaults = JobConfig.Parse(File, "catalog: {folder: /m}\noutput: /o\n");
        Assert.Equal(["dsp", "spectral", "contrastive"], defaults.EmbedSettings.EncoderNames);
        Assert.Equal(("dsp+spectral+contrastive", RegressorKind.Kernel), (defaults.RatingSettings.Encoder, defaults.RatingSettings.Regressor));
        Assert.Equal(RegressorKind.Ridge, JobConfig.Parse(File, "catalog: {folder: /m}\noutput: /o\nmodel: {regressor: ridge}\n").RatingSettings.Regressor);
        Assert.Equal("dsp+spectral", JobConfig.Parse(File, "catalog: {folder: /m}\noutput: /o\nembed: {encoders: [dsp, spectral]}\n").RatingSettings.Encoder);
        Assert.Equal("dsp+contrastive", JobConfig.Parse(File, "catalog: {folder: /m}\noutput: /o\nembed: {encoders: [contrastive, dsp]}\n").RatingSettings.Encoder);
        Assert.Equal("spectral", JobConfig.Parse(File, "catalog: {folder: /m}\noutput: /o\nembed: {encoders: [spectral]}\nmodel: {min_rated: 5}\n").RatingSettings.Encoder);
        using var folder = new TempFolder();
        var onnxOnly = $"catalog: {{folder: /m}}\noutput: /o\nembed:\n  encoders: [toy]\n  onnx:\n    - {{name: toy, model: {folder.Write("toy.onnx", [1])}}}\n";
        var error = Assert.Throws<ConfigException>(() => JobConfig.Parse(File, onnxOnly));
        Assert.Contains("/jobs/x.yaml:4:13: key 'embed.encoders': the rating model reads dsp+spectral+contrastive by default, and embed.encoders lists none of them", error.Message);
        Assert.False(JobConfig.Parse(File, onnxOnly + "model: {enabled: false}\n").RatingSettings.Enabled);
    }

    [Fact]
    public void The_command_line_worker_count_wins()
    {
        Assert.Equal(7, JobConfig.Parse(File, "catalog: {folder: /m}\noutput: /o\nworkers: 2\n", workersOverride: 7).Workers);
    }

    [Theory]
    [InlineData("catalog: {folder: /m}\noutput: /o\nworkerz: 2\n", "/jobs/x.yaml:3:1: key 'workerz': unknown key")]
    [InlineData("catalog: {folder: /m}\noutput: /o\ndedupe:\n  prefer: [rated, loudest]\n",
        "/jobs/x.yaml:4:11: key 'dedupe.prefer': unknown criterion 'loudest'; expected some of: rated, lossless, bit_rate, sample_rate, newest, shortest_path")]
    [InlineData("catalog: {folder: /m}\noutput: /o\ndedupe:\n  prefer: [newest, newest]\n", "/jobs/x.yaml:4:11: key 'dedupe.prefer': 'newest' is listed twice")]
    [InlineData("catalog:\n\tfolder: /m\noutput: /o\n", "/jobs/x.yaml:2:1: not valid YAML: line 2 is indented with a tab; YAML indents with spaces only")]
    [InlineData("catalog: {folder: /m}\noutput: /o\nworkers: two\n", "/jobs/x.yaml:3:10: key 'workers': expected a whole number from 1 to 512, got 'two'")]
    [InlineData("catalog: {folder: /m}\noutput: /o\nworkers: 0\n", "key 'workers': expected a whole number from 1 to 512, got '0'")]
    [InlineData("catalog: {folder: /m}\noutput: /o\nworkers: 513\n", "key 'workers': expected a whole number from 1 to 512, got '513'")]
    [InlineData("catalog: {folder: /m}\noutput: /o\ngroup:\n  mode: fuzzy\n", "/jobs/x.yaml:4:9: key 'group.mode': expected one of strict, duration, got 'fuzzy'")]
    [InlineData("catalog: {folder: /m}\noutput: /o\ngroup:\n  tolerance: 3\n", "/jobs/x.yaml:4:3: key 'group.tolerance': unknown key")]
    [InlineData("catalog: {folder: /m}\n", "missing required key 'output'")]
    [InlineData("catalog: {folder: /m}\n\noutput: ~\n", "/jobs/x.yaml:3:9: key 'output': expected a value, got none")]
    [InlineData("output: /o\n", "missing required section 'catalog'")]
    [InlineData("catalog: {folder: /m, clementine: /c.db}\noutput: /o\n", "give either 'clementine' or 'folder', not both")]
    [InlineData("catalog: {clementine: /c.db, extensions: [mp3]}\noutput: /o\n", "key 'catalog.extensions': only applies to a folder catalog")]
    [InlineData("catalog: {folder: /m, extensions: mp3}\noutput: /o\n", "key 'catalog.extensions': expected a list")]
    [InlineData("catalog: {folder: /m, extensions: []}\noutput: /o\n", "/jobs/x.yaml:1:35: key 'catalog.extensions': expected at least one extension")]
    [InlineData("catalog: {folder: /m}\noutput: /o\nrecommend:\n  xspf: /m/song.mp3\n",
        "/jobs/x.yaml:4:9: key 'recommend.xspf': /m/song.mp3: a playlist's file name must end in .xspf")]
    [InlineData("catalog: /m\noutput: /o\n", "/jobs/x.yaml:1:10: key 'catalog': expected a section")]
    [InlineData("catalog: {folder: /m}\noutput: [a, b]\n", "key 'output': expected a single value")]
    [InlineData("catalog: {folder: /m}\noutput:\n  path: /o\n  formats: [parquet, feather]\n", "/jobs/x.yaml:4:12: key 'output.formats': unknown format 'feather'; expected parquet or arrow")]
    [InlineData("catalog: {folder: /m}\noutput:\n  path: /o\n  formats: []\n", "key 'output.formats': expected at least one of parquet, arrow")]
    [InlineData("catalog: {folder: /m}\noutput:\n  path: /o\n  format: [arrow]\n", "/jobs/x.yaml:4:3: key 'output.format': unknown key")]
    [InlineData("catalog: {folder: /m}\noutput:\n  formats: [arrow]\n", "missing required key 'output.path'")]
    [InlineData("catalog: {folder: /m}\noutput:\n  path: /o\n  formats: [arrow]\n", "/jobs/x.yaml:4:12: key 'output.formats': arrow needs parquet beside it")]
    [InlineData("catalog: {folder: /m\noutput: /o\n", "/jobs/x.yaml: not valid YAML")]
    [InlineData("catalog:\n  folder: /m\n output: /o\n", "/jobs/x.yaml:3:")]
    [InlineData("- a\n- b\n", "must be a YAML mapping")]
    [InlineData("catalog: {folder: /m}\noutput: /o\nfingerprint: {source: fpcalc}\n", "key 'fingerprint.source': expected one of acoustid, crop, got 'fpcalc'")]
    [InlineData("catalog: {folder: /m}\noutput: /m/\n", "/jobs/x.yaml:2:9: key 'output': /m/ is the library folder (catalog.folder): give the run a folder of its own")]
    [InlineData("catalog: {folder: /m}\noutput: /o\nstate: /m\n", "key 'state': /m is the library folder (catalog.folder)")]
    [InlineData("catalog: {folder: /m}\noutput: /o\nfingerprint: {threshold: NaN}\n", "key 'fingerprint.threshold': expected a number from 0.5 to 1, got 'NaN'")]
    [InlineData("catalog: {folder: /m}\noutput: /o\nanalysis: {timeout_s: .nan}\n", "key 'analysis.timeout_s': expected a number from")]
    [InlineData("catalog: {folder: /m}\noutput: /o\nfingerprint: {source: 'crop, acoustid'}\n", "key 'fingerprint.source': expected one of acoustid, crop, got 'crop, acoustid'")]
    [InlineData("catalog: {folder: /m}\noutput: /o\nfingerprint: {source: 1}\n", "key 'fingerprint.source': expected one of acoustid, crop, got '1'")]
    [InlineData("catalog: {folder: /m}\noutput: /o\nfingerprint: {enabled: maybe}\n", "key 'fingerprint.enabled': expected true or false, got 'maybe'")]
    [InlineData("catalog: {folder: /m}\noutput: /o\nfingerprint: {threshold: 2}\n", "key 'fingerprint.threshold': expected a number from 0.5 to 1, got '2'")]
    [InlineData("catalog: {folder: /m}\noutput: /o\nmodel:\n  regressor: joint\n", "/jobs/x.yaml:4:14: key 'model.regressor': joint fine-tunes the contrastive encoder: set model.encoder to contrastive (it is 'dsp+spectral+contrastive')")]
    [InlineData("catalog: {folder: /m}\noutput: /o\nembed:\n  encoders: [dsp, spectral]\nmodel:\n  encoder: dsp+contrastive\n",
        "/jobs/x.yaml:6:12: key 'model.encoder': 'contrastive' is not among embed.encoders (dsp, spectral)")]
    [InlineData("catalog: {folder: /m}\noutput: /o\nmodel:\n  encoder_learning_rate: fast\n", "key 'model.encoder_learning_rate': expected a number from 0 to 1, got 'fast'")]
    [InlineData("catalog: {folder: /m}\noutput: /o\nmodel:\n  regressor: xgboost\n", "key 'model.regressor': expected one of ridge, mlp, joint, kernel, fasttree, lightgbm, got 'xgboost'")]
    [InlineData("catalog: {folder: /m}\noutput: /o\nmodel:\n  leaves: 1\n", "key 'model.leaves': expected a whole number from 2 to 1024, got '1'")]
    [InlineData("catalog: {folder: /m}\noutput: /o\nanalysis:\n  min_duration_s: 100\n  max_duration_s: 50\n",
        "/jobs/x.yaml:4:19: key 'analysis.min_duration_s': the minimum (100 s) is above the maximum (50 s): every file would be refused")]
    [InlineData("catalog: {folder: /m}\noutput: /o\nanalysis:\n  max_duration_s: 1\n",
        "/jobs/x.yaml:4:19: key 'analysis.max_duration_s': the minimum (1.7 s) is above the maximum (1 s): every file would be refused")]
    public void Bad_configs_fail_before_any_work_naming_the_key_and_line(string yaml, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => JobConfig.Parse(File, yaml));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_missing_config_file_says_so()
    {
        var error = Assert.Throws<ConfigException>(() => JobConfig.Load("/no/such/job.yaml"));
        Assert.Contains("not found: /no/such/job.yaml", error.Message);
        using var folder = new TempFolder();
        Assert.StartsWith($"{folder.Path} is a folder: give the job's YAML file", Assert.Throws<ConfigException>(() => JobConfig.Load(folder.Path)).Message);
    }
}
