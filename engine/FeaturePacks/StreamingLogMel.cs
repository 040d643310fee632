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
    private readonly Stft _stft = new(FeaturePackLayout.SampleRateHz, FeaturePackLayout.WindowSeconds, FeaturePackLayout.HopSeconds);
    private readonly MelFilterbank _mel;
    private readonly float[] _power;
    private readonly float[] _frame = new float[FeaturePackLayout.MelBands];

    // Samples from _bufferStartSamples (a multiple of the hop) on.
    private float[] _buffer = new float[FeaturePackLayout.SampleRateHz];
    private int _buffered;
    private long _bufferStartSamples;
    private long _totalSamples;
    private long _nextFrame;

    public StreamingLogMel()
    {
        _mel = new MelFilterbank(FeaturePackLayout.SampleRateHz, _stft.FftSize, FeaturePackLayout.MelBands, FeaturePackLayout.MinHz, FeaturePackLayout.MaxHz);
        _power = new float[_stft.Bins];
    }

    public double PushedSeconds => _totalSamples / (double)FeaturePackLayout.SampleRateHz;

    /// <summary>Adds <paramref name="samples"/>; hands each frame now complete to <paramref name="onFrame"/> (a buffer reused for the next frame).</summary>
    public void Push(ReadOnlySpan<float> samples, Action<float[]> onFrame)
    {
        if (_buffered + samples.Length > _buffer.Length) Array.Resize(ref _buffer, Math.Max(2 * _buffer.Length, _buffered + samples.Length));
        samples.CopyTo(_buffer.AsSpan(_buffered));
        _buffered += samples.Length;
        _totalSamples += samples.Length;
        while (_nextFrame * _stft.HopSamples + _stft.WindowSamples / 2 <= _totalSamples && _nextFrame * _stft.HopSamples < _totalSamples)
            Emit(onFrame);
        DropConsumedSamples();
    }

    /// <summary>Ends the stream: the last frames, zero-padded past the end.</summary>
    public void Finish(Action<float[]> onFrame)
    {
        while (_nextFrame * _stft.HopSamples < _totalSamples) Emit(onFrame);
    }

    private void Emit(Action<float[]> onFrame)
    {
        var relativeFrame = (int)(_nextFrame - _bufferStartSamples / _stft.HopSamples);
        _stft.Power(_buffer.AsSpan(0, _buffered), relativeFrame, _power);
        SpectralFeatures.LogMelDb(_power, _mel, _frame);
        _nextFrame++;
        onFrame(_frame);
    }

    private void DropConsumedSamples()
    {
        // The next frame's window starts half a window before its centre; nothing earlier is needed again.
        var keepFrom = Math.Max(_bufferStartSamples, _nextFrame * _stft.HopSamples - _stft.WindowSamples / 2);
        var drop = (int)(keepFrom - _bufferStartSamples) / _stft.HopSamples * _stft.HopSamples;
        if (drop <= 0) return;
        _buffer.AsSpan(drop, _buffered - drop).CopyTo(_buffer);
        _buffered -= drop;
        _bufferStartSamples += drop;
    }
}
