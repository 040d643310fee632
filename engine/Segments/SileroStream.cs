using Microsoft.ML.OnnxRuntime;
using SSIS.Batch.Engine.Inference;
using SSIS.Batch.Engine.Native;

namespace SSIS.Batch.Engine.Segments;

/// <summary>
/// Silero VAD v5 over a stream at 8 kHz: each call takes 256 new samples after the previous 32 (its 8 kHz context),
/// with the recurrent state carried, and gives one speech probability per 32 ms window. One session per stream: it
/// holds state, so it serves one file at a time.
/// </summary>
public sealed class SileroStream : IDisposable
{
    public const int WindowSamples = 256;
    private const int ContextSamples = 32;
    private static readonly string[] InputNames = ["input", "state", "sr"];
    private static readonly string[] OutputNames = ["output", "stateN"];

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly float[] _input = new float[ContextSamples + WindowSamples];
    private readonly float[] _state = new float[2 * 128];
    private readonly float[] _nextState = new float[2 * 128];
    private readonly float[] _probability = new float[1];
    private readonly long[] _sampleRate = [SegmentFeatures.SampleRateHz];
    private readonly OrtValue[] _inputs;
    private readonly OrtValue[] _outputs;
    private readonly float[] _pending = new float[WindowSamples];
    private int _pendingCount;

    /// <summary>The Silero model <c>./run.sh setup</c> puts in native/.</summary>
    public static string DefaultModelPath => Path.Combine(NativeLibraries.FindDirectory() ?? "native", Speech.SpeechDetectors.SileroModelFile);

    public SileroStream(string? modelPath = null)
    {
        var path = modelPath ?? DefaultModelPath;
        if (!File.Exists(path)) throw new FileNotFoundException($"Silero model not found: {path} (run './run.sh setup', which fetches it into native/)", path);
        _session = OnnxModels.Open(path);
        _inputs =
        [
            OrtValue.CreateTensorValueFromMemory(_input, [1, _input.Length]),
            OrtValue.CreateTensorValueFromMemory(_state, [2, 1, 128]),
            OrtValue.CreateTensorValueFromMemory(_sampleRate, []),
        ];
        _outputs = [OrtValue.CreateTensorValueFromMemory(_probability, [1, 1]), OrtValue.CreateTensorValueFromMemory(_nextState, [2, 1, 128])];
    }

    /// <summary>Adds samples; appends the probability of each window now complete.</summary>
    public void Push(ReadOnlySpan<float> samples, List<float> probabilities)
    {
        while (samples.Length > 0)
        {
            var take = Math.Min(samples.Length, WindowSamples - _pendingCount);
            samples[..take].CopyTo(_pending.AsSpan(_pendingCount));
            _pendingCount += take;
            samples = samples[take..];
            if (_pendingCount < WindowSamples) return;
            probabilities.Add(Run());
            _pendingCount = 0;
        }
    }

    /// <summary>Ends the stream: a last partial window is zero-padded and judged.</summary>
    public void Finish(List<float> probabilities)
    {
        if (_pendingCount == 0) return;
        Array.Clear(_pending, _pendingCount, WindowSamples - _pendingCount);
        probabilities.Add(Run());
        _pendingCount = 0;
    }

    private float Run()
    {
        // The context is the last 32 samples of the previous window, still at the end of the input.
        _input.AsSpan(_input.Length - ContextSamples).CopyTo(_input.AsSpan(0, ContextSamples));
        _pending.CopyTo(_input, ContextSamples);
        _session.Run(_runOptions, InputNames, _inputs, OutputNames, _outputs);
        _nextState.CopyTo(_state, 0);
        return float.IsNaN(_probability[0]) ? 0f : _probability[0];
    }

    public void Dispose()
    {
        foreach (var value in _inputs.Concat(_outputs)) value.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}
