using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Dsp;

namespace SSIS.Batch.Engine.Segments;

/// <summary>
/// A whole file's <see cref="PreviewBlocks"/> from its own streaming decode (<see cref="WholeFileDecoder"/>, 8 kHz mono),
/// for a file whose segments came from the state: a file segmented now gets its blocks from the segmenter's decode
/// (<see cref="PreviewBlockAccumulator"/> as a <see cref="WholeFileTaps.Segmented"/> tap). A decode that fails part-way
/// keeps the blocks before the damage.
/// </summary>
public static class PreviewBlockReader
{
    public static PreviewBlocks Read(string path, string ffmpegExecutable, bool withSpectrum, CancellationToken cancellation = default)
    {
        var blocks = new PreviewBlockAccumulator(withSpectrum);
        try
        {
            using var decoder = WholeFileDecoder.Open(path, ffmpegExecutable);
            var chunk = new float[SegmentFeatures.SampleRateHz * 10];
            int read;
            while ((read = decoder.Read(chunk)) > 0)
            {
                cancellation.ThrowIfCancellationRequested();
                blocks.Push(chunk.AsSpan(0, read));
            }
        }
        catch (AudioDecodeException) when (blocks.PushedSamples > 0)
        {
            // The segments stage has already recorded the damage; the preview uses what decoded before it.
        }
        return blocks.Finish();
    }
}

/// <summary>
/// Cuts an 8 kHz mono stream, arriving in chunks of any size, into 0.5 s blocks: each keeps its mean level and, when
/// <c>withSpectrum</c> (speech content: its preview's score reads it), its mean 16-band log-mel (25 ms frames, 10 ms hop,
/// dB floored at −100 as every log-mel of the engine: <see cref="SpectralFeatures.LogMelDb"/>), 68 bytes, so a 3-hour
/// file holds about 1.5 MB.
/// </summary>
public sealed class PreviewBlockAccumulator(bool withSpectrum)
{
    public const double BlockSeconds = 0.5;
    public const int Bands = 16;
    // Digital silence's level: the log-mel's floor.
    private const float FloorDb = -100f;
    private const int BlockSamples = (int)(BlockSeconds * SegmentFeatures.SampleRateHz);

    private readonly Stft _stft = new(SegmentFeatures.SampleRateHz);
    private readonly MelFilterbank _mel = new(SegmentFeatures.SampleRateHz, new Stft(SegmentFeatures.SampleRateHz).FftSize, Bands, minHz: 60, maxHz: 3900);
    private readonly float[] _block = new float[BlockSamples];
    private readonly List<float> _levels = [];
    private readonly List<float[]> _embeddings = [];
    private float[]? _power, _melValues;
    private int _blockCount;

    public long PushedSamples { get; private set; }

    public void Push(ReadOnlySpan<float> samples)
    {
        PushedSamples += samples.Length;
        while (samples.Length > 0)
        {
            var take = Math.Min(samples.Length, BlockSamples - _blockCount);
            samples[..take].CopyTo(_block.AsSpan(_blockCount));
            _blockCount += take;
            samples = samples[take..];
            if (_blockCount == BlockSamples) EndBlock();
        }
    }

    /// <summary>The blocks, the last one short when the audio ends inside it.</summary>
    public PreviewBlocks Finish()
    {
        if (_blockCount > 0) EndBlock();
        return new PreviewBlocks(BlockSeconds, _levels, _embeddings);
    }

    private void EndBlock()
    {
        var samples = _block.AsSpan(0, _blockCount);
        var meanSquare = 0.0;
        foreach (var s in samples) meanSquare += (double)s * s;
        _levels.Add(Math.Max(FloorDb, (float)(10 * Math.Log10(meanSquare / samples.Length + 1e-20))));
        if (withSpectrum) _embeddings.Add(MeanLogMel(samples));
        _blockCount = 0;
    }

    private float[] MeanLogMel(ReadOnlySpan<float> samples)
    {
        _power ??= new float[_stft.Bins];
        _melValues ??= new float[Bands];
        var embedding = new float[Bands];
        // Frames whose window lies inside the block: a block is judged by its own audio only.
        var frames = Math.Max(1, (samples.Length - _stft.WindowSamples) / _stft.HopSamples);
        for (var f = 0; f < frames; f++)
        {
            _stft.Power(samples, f + (_stft.WindowSamples / 2 + _stft.HopSamples - 1) / _stft.HopSamples, _power);
            SpectralFeatures.LogMelDb(_power, _mel, _melValues);
            for (var b = 0; b < Bands; b++) embedding[b] += _melValues[b] / frames;
        }
        return embedding;
    }
}
