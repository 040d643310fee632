using Microsoft.ML.OnnxRuntime;
using SSIS.Batch.Engine.Inference;

namespace SSIS.Batch.Engine.Speech;

/// <summary>
/// Silero VAD v5 through ONNX Runtime. Each call takes 512 new samples at 16 kHz after the previous 64 (the context the
/// model needs) and carries its LSTM state. The crop is cut into <see cref="Streams"/> contiguous segments spread across
/// it, which run side by side as one batch (state [2, streams, 128]): about three times cheaper per window than one
/// stream. Speech probability = share of windows whose output exceeds 0.5.
/// </summary>
public sealed class SileroSpeechDetector : ISpeechDetector, IDisposable
{
    public const int RateHz = 16000;
    private const int ChunkSamples = 512;
    private const int ContextSamples = 64;
    private const int StateSize = 2 * 128;
    private const float SpeechThreshold = 0.5f;
    private static readonly string[] InputNames = ["input", "state", "sr"];
    private static readonly string[] OutputNames = ["output", "stateN"];

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly long[] _sampleRate = [RateHz];
    private bool _disposed;

    public int Streams { get; }

    /// <summary>Seconds of each crop the model reads, spread over <see cref="Streams"/> segments (null: the whole crop).</summary>
    public double? AnalysedSeconds { get; }

    public string Name => "silero-v5";
    public int SampleRateHz => RateHz;

    public SileroSpeechDetector(string modelPath, int streams = 16, double? analysedSeconds = null)
    {
        _session = OnnxModels.Open(modelPath);
        try
        {
            if (!_session.InputNames.SequenceEqual(InputNames))
                throw new InvalidDataException($"{modelPath} is not a Silero VAD v5 model: its inputs are {string.Join(", ", _session.InputNames)}.");
            foreach (var name in OutputNames)
                if (!_session.OutputMetadata.TryGetValue(name, out var output) || OnnxModels.NotFloatTensor(output) is not null)
                    throw new InvalidDataException($"{modelPath} is not a Silero VAD v5 model: it has no float output '{name}'.");
        }
        catch
        {
            Dispose();
            throw;
        }
        Streams = streams;
        AnalysedSeconds = analysedSeconds;
    }

    public SpeechEstimate Estimate(ReadOnlySpan<float> monoSamples)
    {
        // A released native session must not be run: ONNX Runtime would read freed memory.
        ObjectDisposedException.ThrowIf(_disposed, this);
        var totalChunks = monoSamples.Length / ChunkSamples;
        if (totalChunks == 0) throw new SpeechDetectionException("less than one 32 ms window of audio");
        var wantedChunks = AnalysedSeconds is { } seconds ? Math.Min(totalChunks, (int)(seconds * RateHz / ChunkSamples)) : totalChunks;
        var streams = Math.Max(1, Math.Min(Streams, wantedChunks));
        var chunksPerStream = Math.Max(1, wantedChunks / streams);
        // Segment s starts at an even spread over the whole crop.
        var segmentStarts = Enumerable.Range(0, streams)
            .Select(s => (long)s * (totalChunks - chunksPerStream) / Math.Max(1, streams - 1) * ChunkSamples).ToArray();

        var input = new float[streams * (ContextSamples + ChunkSamples)];
        var state = new float[2 * streams * 128];
        var probabilities = new float[streams];
        var nextState = new float[state.Length];
        // The tensors wrap these arrays (pinned, not copied): each run reads the rows written into them just before,
        // and writes its probabilities and next state straight into the output arrays.
        using var inputValue = OrtValue.CreateTensorValueFromMemory(input, [streams, ContextSamples + ChunkSamples]);
        using var stateValue = OrtValue.CreateTensorValueFromMemory(state, [2, streams, 128]);
        using var rateValue = OrtValue.CreateTensorValueFromMemory(_sampleRate, []);
        using var probabilityValue = OrtValue.CreateTensorValueFromMemory(probabilities, [streams, 1]);
        using var nextStateValue = OrtValue.CreateTensorValueFromMemory(nextState, [2, streams, 128]);
        OrtValue[] inputs = [inputValue, stateValue, rateValue];
        OrtValue[] outputs = [probabilityValue, nextStateValue];
        int speech = 0, judged = 0, failed = 0;
        for (var chunk = 0; chunk < chunksPerStream; chunk++)
        {
            for (var s = 0; s < streams; s++)
            {
                var at = segmentStarts[s] + (long)chunk * ChunkSamples;
                var row = input.AsSpan(s * (ContextSamples + ChunkSamples), ContextSamples + ChunkSamples);
                for (var i = 0; i < row.Length; i++)
                {
                    var n = at - ContextSamples + i;
                    row[i] = n >= 0 && n < monoSamples.Length ? monoSamples[(int)n] : 0f;
                }
            }
            try
            {
                _session.Run(_runOptions, InputNames, inputs, OutputNames, outputs);
            }
            catch (OnnxRuntimeException)
            {
                failed += streams;
                continue;
            }
            nextState.CopyTo(state, 0);
            foreach (var p in probabilities)
            {
                if (float.IsNaN(p)) { failed++; continue; }
                judged++;
                if (p > SpeechThreshold) speech++;
            }
        }
        if (judged == 0) throw new SpeechDetectionException($"Silero failed on every one of {failed} windows");
        return new SpeechEstimate((double)speech / judged, judged, Name);
    }

    public void Dispose()
    {
        _disposed = true;
        _session.Dispose();
        _runOptions.Dispose();
    }
}
