using SSIS.Batch.Engine.Dsp;

namespace SSIS.Batch.Engine.FeaturePacks;

/// <summary>
/// Log-mel frames of a mono stream that arrives in chunks of any size, frame f centred at sample f·hop as
/// <see cref="Stft"/> frames are (zero-padded by half a window at the start and the end). Only the samples the next
/// frame still needs are held, so memory does not grow with the file. Frames whose centre lies at or past the end of
/// the audio are not produced: a file of n samples has ⌈n / hop⌉ frames.
/// </summary>
public sealed class StreamingLogMel
{
    private readonly StreamingFrames _frames = new(new Stft(FeaturePackLayout.SampleRateHz, FeaturePackLayout.WindowSeconds, FeaturePackLayout.HopSeconds));
    private readonly MelFilterbank _mel;
    private readonly float[] _power;
    private readonly float[] _frame = new float[FeaturePackLayout.MelBands];

    public StreamingLogMel()
    {
        _mel = new MelFilterbank(FeaturePackLayout.SampleRateHz, _frames.Stft.FftSize, FeaturePackLayout.MelBands, FeaturePackLayout.MinHz, FeaturePackLayout.MaxHz);
        _power = new float[_frames.Stft.Bins];
    }

    public double PushedSeconds => _frames.TotalSamples / (double)FeaturePackLayout.SampleRateHz;

    /// <summary>Adds <paramref name="samples"/>; hands each frame now complete to <paramref name="onFrame"/> (a buffer reused for the next frame).</summary>
    public void Push(ReadOnlySpan<float> samples, Action<float[]> onFrame)
    {
        _frames.Append(samples);
        while (_frames.NextFrameComplete && HasAudioAtNextFrame) Emit(onFrame);
        _frames.DropConsumedSamples();
    }

    /// <summary>Ends the stream: the last frames, zero-padded past the end.</summary>
    public void Finish(Action<float[]> onFrame)
    {
        while (HasAudioAtNextFrame) Emit(onFrame);
    }

    private bool HasAudioAtNextFrame => _frames.NextFrame * _frames.Stft.HopSamples < _frames.TotalSamples;

    private void Emit(Action<float[]> onFrame)
    {
        _frames.TakeFrame(_power);
        SpectralFeatures.LogMelDb(_power, _mel, _frame);
        onFrame(_frame);
    }
}
