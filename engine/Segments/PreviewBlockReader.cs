using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Dsp;

namespace SSIS.Batch.Engine.Segments;

/// <summary>
/// A whole file's <see cref="PreviewBlocks"/> from one streaming decode (<see cref="WholeFileDecoder"/>, 8 kHz mono):
/// every 0.5 s block keeps its mean level and, when <c>withSpectrum</c> (speech content: its preview's score reads it), its
/// mean 16-band log-mel (25 ms frames, 10 ms hop), 68 bytes, so a 3-hour file holds about 1.5 MB. A decode that fails
/// part-way keeps the blocks before the damage.
/// </summary>
public static class PreviewBlockReader
{
    public const double BlockSeconds = 0.5;
    public const int Bands = 16;
    private const float FloorDb = -100f;

    public static PreviewBlocks Read(string path, string ffmpegExecutable, bool withSpectrum, CancellationToken cancellation = default)
    {
        var rate = SegmentFeatures.SampleRateHz;
        var blockSamples = (int)(BlockSeconds * rate);
        var stft = new Stft(rate);
        var mel = new MelFilterbank(rate, stft.FftSize, Bands, minHz: 60, maxHz: 3900);
        var power = new float[stft.Bins];
        var melValues = new float[Bands];
        var levels = new List<float>();
        var embeddings = new List<float[]>();
        var block = new float[blockSamples];
        try
        {
            using var decoder = WholeFileDecoder.Open(path, ffmpegExecutable);
            int read;
            while ((read = decoder.Read(block)) > 0)
            {
                cancellation.ThrowIfCancellationRequested();
                var samples = block.AsSpan(0, read);
                var meanSquare = 0.0;
                foreach (var s in samples) meanSquare += (double)s * s;
                levels.Add(Math.Max(FloorDb, (float)(10 * Math.Log10(meanSquare / read + 1e-20))));
                if (withSpectrum)
                {
                    var embedding = new float[Bands];
                    // Frames whose window lies inside the block: a block is judged by its own audio only.
                    var frames = Math.Max(1, (read - stft.WindowSamples) / stft.HopSamples);
                    for (var f = 0; f < frames; f++)
                    {
                        stft.Power(samples, f + (stft.WindowSamples / 2 + stft.HopSamples - 1) / stft.HopSamples, power);
                        mel.Apply(power, melValues);
                        for (var b = 0; b < Bands; b++) embedding[b] += Math.Max(FloorDb, 10 * MathF.Log10(melValues[b] + 1e-12f)) / frames;
                    }
                    embeddings.Add(embedding);
                }
                if (read < blockSamples) break;
            }
        }
        catch (AudioDecodeException) when (levels.Count > 0)
        {
            // The segments stage has already recorded the damage; the preview uses what decoded before it.
        }
        return new PreviewBlocks(BlockSeconds, levels, embeddings);
    }
}
