using Microsoft.ML.OnnxRuntime;
using SSIS.Batch.Engine.Inference;
using SSIS.Batch.Engine.Native;

namespace SSIS.Batch.Engine.Segments;

/// <summary>
/// Silero VAD v5 over a stream at 8 kHz, one speech probability per 32 ms window (256 new samples after the previous 32,
/// its 8 kHz context). One ONNX call per window costs far more than the network's arithmetic, so the stream is cut into
/// sections of <see cref="SectionWindows"/> windows, and up to <see cref="Streams"/> consecutive sections run side by
/// side as one batch, each with its own recurrent state. A section's state starts from zero
/// <see cref="WarmUpWindows"/> windows before it (on the audio there, or on zeros before the file's start), and those
/// warm-up outputs are dropped, so a section's probabilities hardly depend on where it was cut. Sections are counted
/// from the file's start, so the probabilities do not depend on how the audio was pushed. Memory: one batch of audio
/// (<see cref="Streams"/> × <see cref="SectionWindows"/> windows: 256 s, 8 MB). One session per stream: it serves one file at a time.
/// </summary>
public sealed class SileroStream : IDisposable
{
    public const int WindowSamples = 256;
    public const int SectionWindows = 125;
    public const int WarmUpWindows = 16;
    public const int Streams = 64;
    private const int ContextSamples = 32;
    private const int StateValues = 128;
    private const int LeadSamples = WarmUpWindows * WindowSamples + ContextSamples;
    private static readonly string[] InputNames = ["input", "state", "sr"];
    private static readonly string[] OutputNames = ["output", "stateN"];

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly long[] _sampleRate = [SegmentFeatures.SampleRateHz];
    private readonly Batch _full;

    // The warm-up lead (zeros at the file's start), then the audio of the sections not yet judged.
    private readonly float[] _audio = new float[LeadSamples + Streams * SectionWindows * WindowSamples];
    private int _audioCount = LeadSamples;
    private readonly float[] _batchProbabilities = new float[Streams * SectionWindows];

    /// <summary>The Silero model <c>./run.sh setup</c> puts in native/.</summary>
    public static string DefaultModelPath => Path.Combine(NativeLibraries.FindDirectory() ?? "native", Speech.SpeechDetectors.SileroModelFile);

    public SileroStream(string? modelPath = null)
    {
        var path = modelPath ?? DefaultModelPath;
        if (!File.Exists(path)) throw new FileNotFoundException($"Silero model not found: {path} (run './run.sh setup', which fetches it into native/)", path);
        _session = OnnxModels.Open(path);
        _full = new Batch(Streams, _sampleRate);
    }

    /// <summary>Starts a new stream on the same session, as a fresh instance would: opening a session costs ~40 ms.</summary>
    public void Reset()
    {
        Array.Clear(_audio, 0, LeadSamples);
        _audioCount = LeadSamples;
    }

    /// <summary>Adds samples; appends the probability of each window whose batch of sections is now complete.</summary>
    public void Push(ReadOnlySpan<float> samples, List<float> probabilities)
    {
        while (samples.Length > 0)
        {
            var take = Math.Min(samples.Length, _audio.Length - _audioCount);
            samples[..take].CopyTo(_audio.AsSpan(_audioCount));
            _audioCount += take;
            samples = samples[take..];
            if (_audioCount < _audio.Length) return;
            Judge(_full, Streams, Streams * SectionWindows, probabilities);
        }
    }

    /// <summary>Ends the stream: the sections begun are judged, a last partial window zero-padded.</summary>
    public void Finish(List<float> probabilities)
    {
        var windows = (_audioCount - LeadSamples + WindowSamples - 1) / WindowSamples;
        if (windows == 0) return;
        Array.Clear(_audio, _audioCount, _audio.Length - _audioCount);
        var sections = (windows + SectionWindows - 1) / SectionWindows;
        using var partial = new Batch(sections, _sampleRate);
        Judge(partial, sections, windows, probabilities);
    }

    /// <summary>Runs <paramref name="sections"/> sections side by side and appends the first <paramref name="windows"/> probabilities.</summary>
    private void Judge(Batch batch, int sections, int windows, List<float> probabilities)
    {
        Array.Clear(batch.State);
        for (var step = 0; step < WarmUpWindows + SectionWindows; step++)
        {
            for (var s = 0; s < sections; s++)
            {
                // Section s's window (step − warm-up) starts at LeadSamples + (s × SectionWindows + step − WarmUpWindows) × 256.
                var start = (s * SectionWindows + step) * WindowSamples;
                _audio.AsSpan(start, ContextSamples + WindowSamples).CopyTo(batch.Input.AsSpan(s * (ContextSamples + WindowSamples)));
            }
            _session.Run(_runOptions, InputNames, batch.Inputs, OutputNames, batch.Outputs);
            batch.NextState.CopyTo(batch.State, 0);
            if (step < WarmUpWindows) continue;
            for (var s = 0; s < sections; s++)
                _batchProbabilities[s * SectionWindows + step - WarmUpWindows] = float.IsNaN(batch.Probability[s]) ? 0f : batch.Probability[s];
        }
        for (var w = 0; w < windows; w++) probabilities.Add(_batchProbabilities[w]);
        // The next batch's lead is the end of this one's audio.
        _audio.AsSpan(_audioCount - LeadSamples, LeadSamples).CopyTo(_audio);
        _audioCount = LeadSamples;
    }

    public void Dispose()
    {
        _full.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }

    /// <summary>Input, state and output tensors for <c>streams</c> windows judged in one call.</summary>
    private sealed class Batch : IDisposable
    {
        public readonly float[] Input;
        public readonly float[] State;
        public readonly float[] NextState;
        public readonly float[] Probability;
        public readonly OrtValue[] Inputs;
        public readonly OrtValue[] Outputs;

        public Batch(int streams, long[] sampleRate)
        {
            Input = new float[streams * (ContextSamples + WindowSamples)];
            State = new float[2 * streams * StateValues];
            NextState = new float[State.Length];
            Probability = new float[streams];
            Inputs =
            [
                OrtValue.CreateTensorValueFromMemory(Input, [streams, ContextSamples + WindowSamples]),
                OrtValue.CreateTensorValueFromMemory(State, [2, streams, StateValues]),
                OrtValue.CreateTensorValueFromMemory(sampleRate, []),
            ];
            Outputs = [OrtValue.CreateTensorValueFromMemory(Probability, [streams, 1]), OrtValue.CreateTensorValueFromMemory(NextState, [2, streams, StateValues])];
        }

        public void Dispose()
        {
            foreach (var value in Inputs.Concat(Outputs)) value.Dispose();
        }
    }
}
