using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Dsp;
using SSIS.Batch.Engine.Embedding;
using SSIS.Batch.Engine.Embedding.Onnx;
using SSIS.Batch.Engine.Learning;
using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Embedding;

public class OnnxEncoderTests
{
    private const int Rate = 16000;
    private const int WindowSamples = 160;

    private static readonly TrackAnalysis AnyAnalysis = new(0, 1, "test", -20, -1, 0, 0, 0.1, 0, 1000, 0, 2000, 0.1, 0, 0, 0, 120,
        new float[20], new float[20], new float[12], new float[64], new float[64], new float[32], 0, 1, "none");

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

    /// <summary>log-mel [windows × 51 × bands] (0.5 s windows) → frames = mel·W [windows × 51 × 2].</summary>
    private static string LogMelModel(TempFolder folder, int bands, float[] w)
    {
        var path = folder.File($"mel-{bands}.onnx");
        new OnnxModelWriter().Input("mel", null, 51, bands).Initializer("W", [bands, 2], w)
            .Node("MatMul", ["mel", "W"], ["frames"]).Output("frames", null, 51, 2).Save(path);
        return path;
    }

    [Fact]
    public void Log_mel_model_reads_the_frames_the_dsp_code_computes()
    {
        using var folder = new TempFolder();
        const int bands = 40;
        var w = Weights(bands * 2, 9);
        var path = LogMelModel(folder, bands, w);
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

    /// <summary>The 30 s centre crop of a real track at <see cref="Rate"/>, mono, by the analysis's own path.</summary>
    private static float[] CentreCrop(string path, AudioProber prober)
    {
        using var crop = new CropDecoder(new AudioDecoder(), new CropSpec()).Decode(path, prober.Probe(path).Properties!);
        using var channels = crop.AtRate(FeatureSummary.SampleRateHz);
        using var mono = channels.Downmix();
        using var atRate = mono.Resample(Rate);
        return atRate.Span.ToArray();
    }

    [Fact]
    public async Task Log_mel_vectors_of_real_tracks_are_bit_identical_with_one_worker_and_with_four_at_once()
    {
        using var folder = new TempFolder();
        const int bands = 64;
        const int frames = 97; // 0.96 s windows, 10 ms hop
        var path = folder.File("mel-frames.onnx");
        new OnnxModelWriter().Input("mel", null, frames, bands).Initializer("W", [bands, 8], Weights(bands * 8, 13))
            .Node("MatMul", ["mel", "W"], ["frames"]).Output("frames", null, frames, 8).Save(path);
        var prober = new AudioProber(new FfprobeReader());
        var crops = Directory.GetFiles(Repo.WesnothMusic, "*.ogg").Order(StringComparer.Ordinal).Take(24)
            .AsParallel().AsOrdered().Select(f => CentreCrop(f, prober)).ToList();
        var settings = new OnnxEncoderSettings("mel", path, OnnxInputKind.LogMel, Rate, bands);

        using var serial = new OnnxEncoder(settings);
        var expected = crops.Select(crop => serial.Encode([Input(crop)])[0]).ToList();

        // Four threads (LongRunning: each its own) started together take the tracks from a shared counter, so their encodes overlap.
        using var shared = new OnnxEncoder(settings);
        var actual = new float[crops.Count][];
        var next = -1;
        using var start = new Barrier(4);
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (var i = Interlocked.Increment(ref next); i < crops.Count; i = Interlocked.Increment(ref next))
                actual[i] = shared.Encode([Input(crops[i])])[0];
        }, TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(workers);

        for (var i = 0; i < crops.Count; i++) Assert.Equal(expected[i], actual[i]);
        Assert.True(expected.Select(v => v[0]).Distinct().Count() > 20, "the tracks should give different vectors");
    }

    [Fact]
    public void A_model_that_does_not_fit_is_refused_with_a_clear_message()
    {
        using var folder = new TempFolder();
        var model = WaveformModel(folder, Weights(WindowSamples * 3, 1));
        var rank = Assert.Throws<ArgumentException>(() => new OnnxEncoder(new OnnxEncoderSettings("toy", model, OnnxInputKind.LogMel)));
        Assert.Contains("rank 2", rank.Message);
        var window = Assert.Throws<ArgumentException>(() => new OnnxEncoder(new OnnxEncoderSettings("toy", model, WindowSeconds: 0.5)));
        Assert.Contains("input 'audio' is declared [? × 160]; these settings feed [windows × 8000]", window.Message);
        var bands = Assert.Throws<ArgumentException>(() => new OnnxEncoder(new OnnxEncoderSettings("mel", LogMelModel(folder, 40, Weights(80, 2)),
            OnnxInputKind.LogMel, Rate, MelBands: 64, WindowSeconds: 0.5, HopSeconds: 0.5)));
        Assert.Contains("is declared [? × 51 × 40]; these settings feed [windows × 51 × 64]", bands.Message);
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
