using System.Security.Cryptography;
using System.Text;
using SSIS.Batch.Engine.Dsp;
using SSIS.Batch.Engine.Native.OnnxRuntime;
using SSIS.Batch.Engine.Pipeline;

namespace SSIS.Batch.Engine.Embedding.Onnx;

/// <summary>
/// Any ONNX audio model as an encoder: the mono crop at the model's rate, cut into windows (waveform or log-mel),
/// run in batches of windows, the named outputs pooled over windows. The version hashes the model file and the
/// settings, so a new export or a new pooling makes a new version.
/// </summary>
public sealed class OnnxEncoder : IAudioEncoder, IDisposable
{
    private const double LogMelWindowSeconds = 0.025;
    private const double LogMelHopSeconds = 0.010;

    private readonly OnnxEncoderSettings _settings;
    private readonly WorkerPool<OnnxSession> _sessions;
    private readonly int[] _outputIndexes;
    private readonly int[] _outputWidths;
    private readonly Stft? _stft;
    private readonly MelFilterbank? _mel;
    private readonly int _inputRank;
    private long[]? _valuesPerWindow;

    public string Name => _settings.Name;
    public string Version { get; }
    public int Dimension { get; }
    public EncoderReads Reads => EncoderReads.Waveform;

    public OnnxEncoder(OnnxEncoderSettings settings)
    {
        _settings = settings;
        _sessions = new WorkerPool<OnnxSession>(() => new OnnxSession(settings.ModelPath));
        var (inputs, outputs) = _sessions.Use(s => (s.Inputs, s.Outputs));
        if (inputs.Count != 1) throw new ArgumentException($"ONNX encoder '{settings.Name}': the model takes {inputs.Count} inputs; one audio input is supported.");
        _inputRank = inputs[0].Shape.Count;
        var expectedRanks = settings.Input == OnnxInputKind.Waveform ? new[] { 2 } : [3, 4];
        if (!expectedRanks.Contains(_inputRank))
            throw new ArgumentException($"ONNX encoder '{settings.Name}': input '{inputs[0].Name}' has rank {_inputRank}; {settings.Input} input needs rank {string.Join(" or ", expectedRanks)}.");
        var names = settings.Outputs is { Count: > 0 } named ? named : [outputs[0].Name];
        _outputIndexes = names.Select(n => outputs.Select(o => o.Name).ToList().IndexOf(n) is var i and >= 0 ? i
            : throw new ArgumentException($"ONNX encoder '{settings.Name}': no output '{n}'; the model has {string.Join(", ", outputs.Select(o => o.Name))}.")).ToArray();
        if (settings.Input == OnnxInputKind.LogMel)
        {
            _stft = new Stft(settings.SampleRateHz, LogMelWindowSeconds, LogMelHopSeconds);
            _mel = new MelFilterbank(settings.SampleRateHz, _stft.FftSize, settings.MelBands);
        }
        // One window of silence tells each output's width per window.
        _outputWidths = RunWindows(new float[settings.WindowSamples], 1).Select(o => o.Length).ToArray();
        var used = settings.Pooling == OnnxPooling.Layers ? _outputWidths : [_outputWidths[0]];
        Dimension = used.Sum() * (settings.Pooling == OnnxPooling.MeanStd ? 2 : 1);
        Version = $"onnx-{settings.Name}-{Hash(settings)}";
    }

    public IReadOnlyList<float[]> Encode(IReadOnlyList<EncoderInput> batch) => batch.Select(input =>
    {
        var mono = (input.MonoCrop ?? throw new InvalidOperationException($"ONNX encoder '{Name}' needs the audio of {input.Path}."))(_settings.SampleRateHz);
        return Pool(WindowVectors(mono));
    }).ToList();

    /// <summary>Per window, per named output, that output's vector: the crop's windows every hop (one, padded, if the crop is shorter).</summary>
    public List<float[][]> WindowVectors(float[] mono)
    {
        var window = _settings.WindowSamples;
        var hop = _settings.HopSamples;
        var starts = mono.Length <= window ? [0] : Enumerable.Range(0, 1 + (mono.Length - window) / hop).Select(w => w * hop).ToList();
        var vectors = new List<float[][]>();
        foreach (var chunk in starts.Chunk(_settings.WindowsPerRun))
        {
            var samples = new float[chunk.Length * window];
            for (var i = 0; i < chunk.Length; i++)
                mono.AsSpan(chunk[i], Math.Min(window, mono.Length - chunk[i])).CopyTo(samples.AsSpan(i * window));
            var outputs = RunWindows(samples, chunk.Length);
            for (var i = 0; i < chunk.Length; i++)
                vectors.Add(outputs.Select(o => o.AsSpan(i * o.Length / chunk.Length, o.Length / chunk.Length).ToArray()).ToArray());
        }
        return vectors;
    }

    /// <summary>The named outputs for <paramref name="windows"/> windows laid end to end in <paramref name="samples"/>: per output [windows × width].</summary>
    private float[][] RunWindows(float[] samples, int windows)
    {
        var input = _settings.Input == OnnxInputKind.Waveform
            ? new InputTensor("", samples, [windows, _settings.WindowSamples])
            : LogMelInput(samples, windows);
        return _sessions.Use(session =>
        {
            // Output sizes are known after the first (one-window) run; that run gets room for 4 M values per output.
            var buffers = session.Outputs.Select((_, o) => new float[_valuesPerWindow is { } known ? known[o] * windows : 1 << 22]).ToArray();
            var shapes = session.Run([input with { Name = session.Inputs[0].Name }], buffers);
            _valuesPerWindow ??= shapes.Select(shape => shape.Aggregate(1L, (a, d) => a * Math.Max(d, 1)) / windows).ToArray();
            return _outputIndexes.Select(o =>
            {
                var shape = shapes[o];
                var width = shape.Length < 2 ? 1 : (int)shape[^1];
                var perWindow = (int)(shape.Aggregate(1L, (a, d) => a * Math.Max(d, 1)) / windows);
                // Values between the window axis and the last axis (tokens, frames) are averaged.
                var pooled = new float[windows * width];
                var groups = perWindow / width;
                for (var w = 0; w < windows; w++)
                    for (var g = 0; g < groups; g++)
                        for (var d = 0; d < width; d++)
                            pooled[w * width + d] += buffers[o][w * perWindow + g * width + d] / groups;
                return pooled;
            }).ToArray();
        });
    }

    private InputTensor LogMelInput(float[] samples, int windows)
    {
        var window = _settings.WindowSamples;
        var frames = _stft!.FrameCount(window);
        var bands = _settings.MelBands;
        var data = new float[windows * frames * bands];
        var power = new float[_stft.Bins];
        for (var w = 0; w < windows; w++)
        {
            var span = samples.AsSpan(w * window, window);
            for (var f = 0; f < frames; f++)
            {
                _stft.Power(span, f, power);
                Dsp.SpectralFeatures.LogMelDb(power, _mel!, data.AsSpan((w * frames + f) * bands, bands));
            }
        }
        return new InputTensor("", data, _inputRank == 4 ? [windows, 1, frames, bands] : [windows, frames, bands]);
    }

    /// <summary>Windows → one vector, as <see cref="OnnxEncoderSettings.Pooling"/> says.</summary>
    private float[] Pool(List<float[][]> windows)
    {
        float[] Mean(int output) => Enumerable.Range(0, windows[0][output].Length).Select(d => windows.Average(w => w[output][d])).ToArray();
        return _settings.Pooling switch
        {
            OnnxPooling.Mean => Mean(0),
            OnnxPooling.MeanStd => [.. Mean(0), .. Enumerable.Range(0, windows[0][0].Length).Select(d =>
            {
                var m = windows.Average(w => (double)w[0][d]);
                return (float)Math.Sqrt(windows.Average(w => (w[0][d] - m) * (w[0][d] - m)));
            })],
            _ => Enumerable.Range(0, _outputIndexes.Length).SelectMany(Mean).ToArray(),
        };
    }

    private static string Hash(OnnxEncoderSettings settings)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(File.ReadAllBytes(settings.ModelPath));
        sha.AppendData(Encoding.UTF8.GetBytes(
            $"{settings.Input}|{settings.SampleRateHz}|{settings.MelBands}|{settings.WindowSeconds}|{settings.HopSeconds}|{string.Join(",", settings.Outputs ?? [])}|{settings.Pooling}"));
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..12];
    }

    public void Dispose() => _sessions.Dispose();
}
