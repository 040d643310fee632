using System.Security.Cryptography;
using System.Text;
using SSIS.Batch.Engine.Embedding.Onnx;

namespace SSIS.Batch.Engine.Classify;

/// <summary>One row of classifications: a time range of the file, and a score per label.</summary>
public sealed record WindowScores(double StartSeconds, double EndSeconds, float[] Scores)
{
    public int Best => Array.IndexOf(Scores, Scores.Max());
}

/// <summary>
/// An ONNX model as a classifier: the windows of a mono crop through the model (<see cref="OnnxEncoder.WindowVectors"/>),
/// the first output as one score per label, activated and pooled as the settings say. The constructor refuses a model
/// that does not load, does not fit the declared input, or gives a number of scores other than the labels'.
/// Thread-safe: each worker runs its own session.
/// </summary>
public sealed class OnnxClassifier : IDisposable
{
    private readonly OnnxEncoder _windows;

    public ClassifierSettings Settings { get; }
    public IReadOnlyList<string> Labels { get; }

    /// <summary>The model, labels and settings' hash: results are kept in the state under it.</summary>
    public string Version { get; }

    public OnnxClassifier(ClassifierSettings settings)
    {
        Settings = settings;
        Labels = File.ReadAllLines(settings.LabelsPath).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (Labels.Count == 0) throw new ArgumentException($"classifier '{settings.Name}': {settings.LabelsPath} lists no labels (one per line).");
        _windows = new OnnxEncoder(settings.Windows);
        if (_windows.Dimension != Labels.Count)
        {
            _windows.Dispose();
            throw new ArgumentException($"classifier '{settings.Name}': the model gives {_windows.Dimension} scores per window, " +
                                        $"but {settings.LabelsPath} lists {Labels.Count} labels.");
        }
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{_windows.Version}|{string.Join('\n', Labels)}|{settings.Activation}|{settings.Pooling}"));
        Version = $"classify-{settings.Name}-{Convert.ToHexStringLower(sha.GetHashAndReset())[..12]}";
    }

    /// <summary>The rows for a mono signal at the model's rate that starts <paramref name="startSeconds"/> into its file.</summary>
    public IReadOnlyList<WindowScores> Classify(float[] mono, double startSeconds)
    {
        var rateHz = (double)Settings.SampleRateHz;
        var lengthSeconds = mono.Length / rateHz;
        var windows = _windows.WindowVectors(mono).Select((outputs, i) =>
        {
            var start = i * Settings.Windows.HopSamples / rateHz;
            return new WindowScores(startSeconds + start, startSeconds + Math.Min(lengthSeconds, start + Settings.Windows.WindowSamples / rateHz),
                Activate(outputs[0], Settings.Activation));
        }).ToList();
        return Settings.Pooling switch
        {
            ClassifierPooling.None => windows,
            ClassifierPooling.Mean => [Pooled(windows, scores => scores.Average())],
            _ => [Pooled(windows, scores => scores.Max())],
        };
    }

    private WindowScores Pooled(IReadOnlyList<WindowScores> windows, Func<IEnumerable<float>, float> pool) =>
        new(windows[0].StartSeconds, windows[^1].EndSeconds, Enumerable.Range(0, Labels.Count).Select(l => pool(windows.Select(w => w.Scores[l]))).ToArray());

    public static float[] Activate(float[] outputs, ScoreActivation activation)
    {
        switch (activation)
        {
            case ScoreActivation.Softmax:
                var max = outputs.Max();
                var exp = outputs.Select(o => Math.Exp(o - max)).ToArray();
                var sum = exp.Sum();
                return exp.Select(e => (float)(e / sum)).ToArray();
            case ScoreActivation.Sigmoid:
                return outputs.Select(o => (float)(1 / (1 + Math.Exp(-o)))).ToArray();
            default:
                return outputs;
        }
    }

    /// <summary>Rows as one vector for the state store: start, end and the scores of each row in turn.</summary>
    public float[] Flatten(IReadOnlyList<WindowScores> rows) =>
        rows.SelectMany(r => (float[])[(float)r.StartSeconds, (float)r.EndSeconds, .. r.Scores]).ToArray();

    public IReadOnlyList<WindowScores> Unflatten(float[] vector) =>
        vector.Chunk(2 + Labels.Count).Select(row => new WindowScores(row[0], row[1], row[2..])).ToList();

    public void Dispose() => _windows.Dispose();
}
