namespace SSIS.Batch.Engine.Dsp;

/// <summary>
/// A mono stream arriving in chunks of any size, cut into <see cref="Stft"/> frames as a whole signal would be (frame f
/// centred at sample f·hop, zero-padded by half a window at both ends). Only the samples the next frame still needs are
/// held, so memory does not grow with the stream.
/// </summary>
public sealed class StreamingFrames(Stft stft)
{
    // Samples from _bufferStartSamples (a multiple of the hop) on.
    private float[] _buffer = new float[4096];
    private int _buffered;
    private long _bufferStartSamples;

    public Stft Stft => stft;

    /// <summary>Samples appended so far.</summary>
    public long TotalSamples { get; private set; }

    /// <summary>The index of the next frame <see cref="TakeFrame"/> computes.</summary>
    public long NextFrame { get; private set; }

    /// <summary>Whether the next frame's whole window has arrived (the last frames need <see cref="TakeFrame"/> at the end regardless).</summary>
    public bool NextFrameComplete => NextFrame * stft.HopSamples + stft.WindowSamples / 2 <= TotalSamples;

    /// <summary>The samples held, from the start of the earliest frame not yet dropped.</summary>
    public ReadOnlySpan<float> Buffered => _buffer.AsSpan(0, _buffered);

    public void Append(ReadOnlySpan<float> samples)
    {
        if (_buffered + samples.Length > _buffer.Length) Array.Resize(ref _buffer, Math.Max(2 * _buffer.Length, _buffered + samples.Length));
        samples.CopyTo(_buffer.AsSpan(_buffered));
        _buffered += samples.Length;
        TotalSamples += samples.Length;
    }

    /// <summary>
    /// The next frame's power spectrum into <paramref name="power"/> (<see cref="Stft.Bins"/> values); returns that frame's
    /// index within <see cref="Buffered"/> (for time-domain measures of the same window) and moves on to the next frame.
    /// </summary>
    public int TakeFrame(float[] power)
    {
        var relativeFrame = (int)(NextFrame - _bufferStartSamples / stft.HopSamples);
        stft.Power(Buffered, relativeFrame, power);
        NextFrame++;
        return relativeFrame;
    }

    /// <summary>Lets go of the samples before the next frame's window.</summary>
    public void DropConsumedSamples()
    {
        var keepFrom = Math.Max(_bufferStartSamples, NextFrame * stft.HopSamples - stft.WindowSamples / 2);
        var drop = (int)(keepFrom - _bufferStartSamples) / stft.HopSamples * stft.HopSamples;
        if (drop <= 0) return;
        _buffer.AsSpan(drop, _buffered - drop).CopyTo(_buffer);
        _buffered -= drop;
        _bufferStartSamples += drop;
    }
}
