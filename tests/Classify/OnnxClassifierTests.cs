using SSIS.Batch.Engine.Classify;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Jobs.Config;
using SSIS.Batch.Tests.Pipeline;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Classify;

/// <summary>
/// The classify stage on models the tests build: a window's scores are its mean sample and the negated mean ("up",
/// "down"), so every score, label and confidence can be computed by hand.
/// </summary>
public class OnnxClassifierTests
{
    private const int RateHz = 16000;
    private const int WindowSamples = 8000; // 0.5 s

    /// <summary>[windows × 8000] → MatMul with [8000 × 2] columns 1/8000 and −1/8000: the mean and its negation.</summary>
    private static string MeanModel(TempFolder folder, int scores = 2)
    {
        var weights = new float[WindowSamples * scores];
        for (var i = 0; i < WindowSamples; i++)
            for (var s = 0; s < scores; s++)
                weights[i * scores + s] = (s % 2 == 0 ? 1f : -1f) / WindowSamples;
        var path = folder.File($"mean{scores}.onnx");
        new OnnxModelWriter().Input("audio", null, WindowSamples).Initializer("W", [WindowSamples, scores], weights)
            .Node("MatMul", ["audio", "W"], ["scores"]).Output("scores", null, scores).Save(path);
        return path;
    }

    private static string Labels(TempFolder folder)
    {
        var path = folder.File("labels.txt");
        File.WriteAllText(path, "up\ndown\n");
        return path;
    }

    [Fact]
    public void Window_scores_labels_and_times_are_the_hand_computed_ones()
    {
        using var folder = new TempFolder();
        // 1 s at +0.5, then 1 s at −0.25: four 0.5 s windows.
        var mono = Enumerable.Repeat(0.5f, RateHz).Concat(Enumerable.Repeat(-0.25f, RateHz)).ToArray();
        var settings = new ClassifierSettings("updown", MeanModel(folder), Labels(folder), WindowSeconds: 0.5, HopSeconds: 0.5,
            Pooling: ClassifierPooling.None, Activation: ScoreActivation.Softmax);
        using var classifier = new OnnxClassifier(settings);

        var rows = classifier.Classify(mono, startSeconds: 10);

        Assert.Equal([10.0, 10.5, 11.0, 11.5], rows.Select(r => r.StartSeconds));
        Assert.Equal([10.5, 11.0, 11.5, 12.0], rows.Select(r => r.EndSeconds));
        Assert.Equal(["up", "up", "down", "down"], rows.Select(r => classifier.Labels[r.Best]));
        var upFirst = 1 / (1 + Math.Exp(-1.0)); // softmax of (0.5, −0.5)
        var downLater = 1 / (1 + Math.Exp(-0.5)); // softmax of (−0.25, 0.25), the second
        Assert.Equal(upFirst, rows[0].Scores[0], 5);
        Assert.Equal(downLater, rows[3].Scores[1], 5);

        using var mean = new OnnxClassifier(settings with { Pooling = ClassifierPooling.Mean });
        var pooled = Assert.Single(mean.Classify(mono, 10));
        Assert.Equal((10.0, 12.0), (pooled.StartSeconds, pooled.EndSeconds));
        Assert.Equal((upFirst + 1 - downLater) / 2, pooled.Scores[0], 5);
        using var max = new OnnxClassifier(settings with { Pooling = ClassifierPooling.Max, Activation = ScoreActivation.None });
        Assert.Equal([0.5f, 0.25f], Assert.Single(max.Classify(mono, 0)).Scores.Select(s => MathF.Round(s, 5)));
    }

    [Fact]
    public void A_model_that_disagrees_with_its_labels_or_does_not_load_is_a_config_error_at_its_key()
    {
        using var folder = new TempFolder();
        Labels(folder);
        MeanModel(folder, scores: 3);
        File.WriteAllText(folder.File("not-onnx.onnx"), "not a model");
        string Job(string model) => $"catalog: {{folder: {folder.Path}}}\noutput: out\nclassify:\n  - name: c\n    model: {model}\n    labels: labels.txt\n    window_s: 0.5\n";

        var wrongWidth = Assert.Throws<ConfigException>(() => JobConfig.Parse(folder.File("a.yaml"), Job("mean3.onnx")));
        Assert.Contains("key 'classify[0].model'", wrongWidth.Message);
        Assert.Contains("the model gives 3 scores per window", wrongWidth.Message);
        Assert.Contains("lists 2 labels", wrongWidth.Message);
        var broken = Assert.Throws<ConfigException>(() => JobConfig.Parse(folder.File("b.yaml"), Job("not-onnx.onnx")));
        Assert.Contains("key 'classify[0].model'", broken.Message);
    }

    [Fact]
    public async Task A_run_writes_classifications_of_the_tracks_it_applies_to_and_a_rerun_reads_them_from_the_state()
    {
        using var folder = new TempFolder();
        var library = folder.File("library");
        Directory.CreateDirectory(library);
        // Lossless, so the DC offset that decides the label survives: +0.3 is "up", −0.3 "down".
        foreach (var (name, level) in new[] { ("up.flac", "0.3"), ("down.flac", "-0.3") })
            Tools.Run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", $"aevalsrc={level}+0.1*sin(2*PI*440*t):s=44100:d=6", "-c:a", "flac", Path.Combine(library, name));
        MeanModel(folder);
        Labels(folder);
        File.WriteAllText(folder.File("job.yaml"), $"""
            catalog: {"{"}folder: {library}{"}"}
            output: out
            classify:
              - name: updown
                model: mean2.onnx
                labels: labels.txt
                window_s: 0.5
                pooling: none
                activation: softmax
              - name: speech-only
                model: mean2.onnx
                labels: labels.txt
                window_s: 0.5
                apply_to: speech
            """);

        var first = await new JobRunner(JobConfig.Load(folder.File("job.yaml")), new RecordingProgress()).RunAsync();
        var rows = ParquetCheck.Read(folder.File("out/classifications.parquet")).Data;
        // Six seconds a track (the whole file is the crop), twelve 0.5 s windows each; no track is speech.
        Assert.Equal(24, rows.Count);
        Assert.All(rows, r => Assert.Equal("updown", r.GetProperty("classifier").GetString()));
        Assert.All(rows, r => Assert.Equal(Path.GetFileNameWithoutExtension(r.GetProperty("path").GetString()), r.GetProperty("label").GetString()));
        Assert.All(rows, r => Assert.InRange(r.GetProperty("confidence").GetDouble(), 0.64, 0.65)); // softmax of ±0.3: 1 / (1 + e^−0.6)
        Assert.Contains("classifications.parquet", first.Outputs);

        var rerun = await new JobRunner(JobConfig.Load(folder.File("job.yaml")), new RecordingProgress()).RunAsync();
        Assert.Equal(0, rerun.Counters.AudioFilesOpened);
        var again = ParquetCheck.Read(folder.File("out/classifications.parquet")).Data;
        Assert.Equal(rows.Select(r => r.ToString()), again.Select(r => r.ToString()));
    }
}
