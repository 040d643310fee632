using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Dsp;
using SSIS.Batch.Engine.Embedding;
using SSIS.Batch.Engine.Embedding.Onnx;
using SSIS.Batch.Engine.Learning;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Embedding;

public class OnnxEncoderTests
{
    private const int Rate = 16000;
    private const int WindowSamples = 160;

    private static readonly TrackAnalysis AnyAnalysis = new(0, 1, "test", -20, -1, 0, 0, 0.1, 0, 1000, 0, 2000, 0.1, 0, 0, 0, 120,
        new float[20], new float[20], new float[12], new float[64], new float[64], 0, 1, "none");

    private static float[] Weights(int count, ulong seed)
    {
        var rng = new Rng(seed);
        return Enumerable.Range(0, count).Select(_ => (float)rng.NextGaussian()).ToArray();
    }

    /// <summary>audio [windows × 160] → embedding = audio·W [windows × 3] → relu = max(0, embedding).</summary>
    private static string WaveformModel(TempFolder folder, float[] w)
    {
        var path = folder.File("wave.onnx");
        new OnnxModelWriter().Input("audio", null, WindowSamples).Initializer("W", [WindowSamples, 3], w)
            .Node("MatMul", ["audio", "W"], ["embedding"]).Node("Relu", ["embedding"], ["relu"])
            .Output("embedding", null, 3).Output("relu", null, 3).Save(path);
        return path;
    }

    private static float[] Chirp(int samples) => Enumerable.Range(0, samples).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * (200 + i * 0.05) * i / Rate))).ToArray();

    private static EncoderInput Input(float[] mono) => new(1, "/chirp", AnyAnalysis, MonoCrop: rate => rate == Rate ? mono : throw new ArgumentException("wrong rate"));

    /// <summary>Per window (every hop), window · W computed here in double, independently of the encoder.</summary>
    private static double[][] ByHand(float[] mono, float[] w, int hop) =>
        Enumerable.Range(0, 1 + (mono.Length - WindowSamples) / hop).Select(k =>
            Enumerable.Range(0, 3).Select(j => Enumerable.Range(0, WindowSamples).Sum(i => (double)mono[k * hop + i] * w[i * 3 + j])).ToArray()).ToArray();

    [Fact]
    public void Waveform_model_with_mean_mean_std_and_layers_pooling_matches_a_hand_computation()
    {
        using var folder = new TempFolder();
        var w = Weights(WindowSamples * 3, 5);
        var model = WaveformModel(folder, w);
        var mono = Chirp(Rate / 2);
        var windows = ByHand(mono, w, hop: 80);
        var mean = Enumerable.Range(0, 3).Select(j => windows.Average(v => v[j])).ToArray();
        var std = Enumerable.Range(0, 3).Select(j => Math.Sqrt(windows.Average(v => (v[j] - mean[j]) * (v[j] - mean[j])))).ToArray();
        var reluMean = Enumerable.Range(0, 3).Select(j => windows.Average(v => Math.Max(0, v[j]))).ToArray();

        OnnxEncoderSettings Settings(OnnxPooling pooling, IReadOnlyList<string>? outputs = null) =>
            new("toy", model, OnnxInputKind.Waveform, Rate, WindowSeconds: 0.010, HopSeconds: 0.005, Outputs: outputs, Pooling: pooling, WindowsPerRun: 7);

        using (var encoder = new OnnxEncoder(Settings(OnnxPooling.Mean)))
        {
            Assert.Equal(3, encoder.Dimension);
            AssertClose(mean, encoder.Encode([Input(mono)])[0]);
        }
        using (var encoder = new OnnxEncoder(Settings(OnnxPooling.MeanStd)))
        {
            Assert.Equal(6, encoder.Dimension);
            AssertClose([.. mean, .. std], encoder.Encode([Input(mono)])[0]);
        }
        using (var encoder = new OnnxEncoder(Settings(OnnxPooling.Layers, ["relu", "embedding"])))
        {
            Assert.Equal(6, encoder.Dimension);
            AssertClose([.. reluMean, .. mean], encoder.Encode([Input(mono)])[0]);
            Assert.StartsWith("onnx-toy-", encoder.Version);
            Assert.NotEqual(new OnnxEncoder(Settings(OnnxPooling.Mean)).Version, encoder.Version);
        }
    }

    [Fact]
    public void Log_mel_model_reads_the_frames_the_dsp_code_computes()
    {
        using var folder = new TempFolder();
        const int bands = 40;
        var w = Weights(bands * 2, 9);
        var path = folder.File("mel.onnx");
        new OnnxModelWriter().Input("mel", null, 51, bands).Initializer("W", [bands, 2], w)
            .Node("MatMul", ["mel", "W"], ["frames"]).Output("frames", null, 51, 2).Save(path);
        var mono = Chirp(Rate);
        using var encoder = new OnnxEncoder(new OnnxEncoderSettings("mel", path, OnnxInputKind.LogMel, Rate, bands, WindowSeconds: 0.5, HopSeconds: 0.5));
        Assert.Equal(2, encoder.Dimension);

        // Two windows of 0.5 s, 51 frames each (25 ms Hann, 10 ms hop); the output is averaged over windows and frames.
        var stft = new Stft(Rate, 0.025, 0.010);
        var mel = new MelFilterbank(Rate, stft.FftSize, bands);
        var power = new float[stft.Bins];
        var logMel = new float[bands];
        var expected = new double[2];
        for (var window = 0; window < 2; window++)
            for (var frame = 0; frame < 51; frame++)
            {
                stft.Power(mono.AsSpan(window * Rate / 2, Rate / 2), frame, power);
                SpectralFeatures.LogMelDb(power, mel, logMel);
                for (var j = 0; j < 2; j++) expected[j] += Enumerable.Range(0, bands).Sum(b => (double)logMel[b] * w[b * 2 + j]) / (2 * 51);
            }
        AssertClose(expected, encoder.Encode([Input(mono)])[0]);
    }

    [Fact]
    public void A_model_that_does_not_fit_is_refused_with_a_clear_message()
    {
        using var folder = new TempFolder();
        var model = WaveformModel(folder, Weights(WindowSamples * 3, 1));
        var rank = Assert.Throws<ArgumentException>(() => new OnnxEncoder(new OnnxEncoderSettings("toy", model, OnnxInputKind.LogMel)));
        Assert.Contains("rank 2", rank.Message);
        var output = Assert.Throws<ArgumentException>(() => new OnnxEncoder(new OnnxEncoderSettings("toy", model, Outputs: ["hidden"], WindowSeconds: 0.01)));
        Assert.Contains("no output 'hidden'", output.Message);
        Assert.Contains("embedding, relu", output.Message);
    }

    private static void AssertClose(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * Math.Max(1, Math.Abs(expected[i])), $"[{i}] expected {expected[i]}, got {actual[i]}");
    }
}
