using System.Security.Cryptography;
using System.Text;
using Microsoft.ML.OnnxRuntime;
using SSIS.Batch.Engine.Dsp;
using SSIS.Batch.Engine.Inference;
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
    private readonly WorkerPool<Worker> _workers;
    private readonly string _inputName;
    private readonly string[] _outputNames;
    private readonly int _inputRank;
    private bool _disposed;

    public string Name => _settings.Name;
    public string Version { get; }
    public int Dimension { get; }
    public EncoderReads Reads => EncoderReads.Waveform;

    public OnnxEncoder(OnnxEncoderSettings settings)
    {
        _settings = settings;
        _workers = new WorkerPool<Worker>(() => new Worker(settings));
        try
        {
            var (inputNames, inputs, outputNames, outputs) = _workers.Use(w =>
                (w.Session.InputNames, w.Session.InputMetadata, w.Session.OutputNames, w.Session.OutputMetadata));
            if (inputNames.Count != 1) throw new ArgumentException($"ONNX encoder '{settings.Name}': the model takes {inputNames.Count} inputs; one audio input is supported.");
            _inputName = inputNames[0];
            if (OnnxModels.NotFloatTensor(inputs[_inputName]) is { } inputKind)
                throw new ArgumentException($"ONNX encoder '{settings.Name}': input '{_inputName}' takes a {inputKind}; the encoder feeds float audio.");
            _inputRank = inputs[_inputName].Dimensions.Length;
            var expectedRanks = settings.Input == OnnxInputKind.Waveform ? new[] { 2 } : [3, 4];
            if (!expectedRanks.Contains(_inputRank))
                throw new ArgumentException($"ONNX encoder '{settings.Name}': input '{_inputName}' has rank {_inputRank}; {settings.Input} input needs rank {string.Join(" or ", expectedRanks)}.");
            RefuseAnInputThatDoesNotFit(inputs[_inputName].Dimensions);
            _outputNames = (settings.Outputs is { Count: > 0 } named ? named : [outputNames[0]]).ToArray();
            foreach (var name in _outputNames)
            {
                if (!outputs.TryGetValue(name, out var output))
                    throw new ArgumentException($"ONNX encoder '{settings.Name}': no output '{name}'; the model has {string.Join(", ", outputNames)}.");
                if (OnnxModels.NotFloatTensor(output) is { } outputKind)
                    throw new ArgumentException($"ONNX encoder '{settings.Name}': output '{name}' is a {outputKind}; only float outputs can be pooled into a vector.");
            }
            // One window of silence tells each output's width per window.
            var widths = RunWindows(new float[settings.WindowSamples], 1).Select(o => o.Length).ToArray();
            var used = settings.Pooling == OnnxPooling.Layers ? widths : [widths[0]];
            Dimension = used.Sum() * (settings.Pooling == OnnxPooling.MeanStd ? 2 : 1);
        }
        catch
        {
            _workers.Dispose();
            throw;
        }
        Version = $"onnx-{settings.Name}-{Hash(settings)}";
    }

    /// <summary>Refuses, before any run, a model whose declared fixed sizes differ from what these settings feed it.</summary>
    private void RefuseAnInputThatDoesNotFit(int[] declared)
    {
        long[] fed = _settings.Input == OnnxInputKind.Waveform
            ? [_settings.WindowSamples]
            : _workers.Use(w => _inputRank == 4 ? new long[] { 1, w.Stft!.FrameCount(_settings.WindowSamples), _settings.MelBands }
                : [w.Stft!.FrameCount(_settings.WindowSamples), _settings.MelBands]);
        if (declared.Skip(1).Zip(fed).All(pair => pair.First < 0 || pair.First == pair.Second)) return;
        throw new ArgumentException($"ONNX encoder '{_settings.Name}': input '{_inputName}' is declared [{string.Join(" × ", declared.Select(d => d < 0 ? "?" : d.ToString()))}]; " +
                                    $"these settings feed [windows × {string.Join(" × ", fed)}] (see window_s, sample_rate_hz and mel_bands).");
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
    private float[][] RunWindows(float[] samples, int windows) => _workers.Use(worker =>
    {
        // A released native session must not be run: ONNX Runtime would read freed memory.
        ObjectDisposedException.ThrowIf(_disposed, this);
        var (data, shape) = _settings.Input == OnnxInputKind.Waveform
            ? (samples, new long[] { windows, _settings.WindowSamples })
            : LogMelInput(worker, samples, windows);
        using var input = OrtValue.CreateTensorValueFromMemory(data, shape);
        using var outputs = worker.Session.Run(worker.RunOptions, [_inputName], [input], _outputNames);
        return outputs.Select(output => MeanWithinWindows(output, windows)).ToArray();
    });

    /// <summary>An output [windows × … × width] as [windows × width]: values between the window axis and the last axis (tokens, frames) are averaged.</summary>
    private static float[] MeanWithinWindows(OrtValue output, int windows)
    {
        var shape = output.GetTensorTypeAndShape().Shape;
        var values = output.GetTensorDataAsSpan<float>();
        var width = shape.Length < 2 ? 1 : (int)shape[^1];
        var perWindow = values.Length / windows;
        var groups = perWindow / width;
        var pooled = new float[windows * width];
        for (var w = 0; w < windows; w++)
            for (var g = 0; g < groups; g++)
                for (var d = 0; d < width; d++)
                    pooled[w * width + d] += values[w * perWindow + g * width + d] / groups;
        return pooled;
    }

    private (float[] Data, long[] Shape) LogMelInput(Worker worker, float[] samples, int windows)
    {
        var stft = worker.Stft!;
        var window = _settings.WindowSamples;
        var frames = stft.FrameCount(window);
        var bands = _settings.MelBands;
        var data = new float[windows * frames * bands];
        var power = new float[stft.Bins];
        for (var w = 0; w < windows; w++)
        {
            var span = samples.AsSpan(w * window, window);
            for (var f = 0; f < frames; f++)
            {
                stft.Power(span, f, power);
                SpectralFeatures.LogMelDb(power, worker.Mel!, data.AsSpan((w * frames + f) * bands, bands));
            }
        }
        return (data, _inputRank == 4 ? [windows, 1, frames, bands] : [windows, frames, bands]);
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
            _ => Enumerable.Range(0, _outputNames.Length).SelectMany(Mean).ToArray(),
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

    public void Dispose()
    {
        _disposed = true;
        _workers.Dispose();
    }

    /// <summary>
    /// What one worker uses at a time: its own session, and for log-mel input its own STFT (the STFT keeps scratch
    /// buffers between calls, so workers sharing one would mix each other's frames).
    /// </summary>
    private sealed class Worker : IDisposable
    {
        public InferenceSession Session { get; }
        public RunOptions RunOptions { get; }
        public Stft? Stft { get; }
        public MelFilterbank? Mel { get; }

        public Worker(OnnxEncoderSettings settings)
        {
            Session = OnnxModels.Open(settings.ModelPath);
            RunOptions = new RunOptions();
            if (settings.Input != OnnxInputKind.LogMel) return;
            Stft = new Stft(settings.SampleRateHz, LogMelWindowSeconds, LogMelHopSeconds);
            Mel = new MelFilterbank(settings.SampleRateHz, Stft.FftSize, settings.MelBands);
        }

        public void Dispose()
        {
            Session.Dispose();
            RunOptions.Dispose();
        }
    }
}
