using SSIS.Batch.Engine.Learning;

namespace SSIS.Batch.Engine.Embedding;

/// <summary>
/// Texture the analysis's per-band averages miss, from the log-mel excerpt of the crop (7.68 s at a 20 ms hop; the
/// analysis computes these values, <see cref="Analysis.TrackAnalysis.SpectralTexture"/>, and the encoder reads them), in 8 groups
/// of 8 adjacent mel bands: spectral contrast (each frame's loudest band minus its quietest within the group: peaky,
/// tonal groups against flat, noisy ones) and the group's flux (how much its level moves frame to frame: plucked and
/// percussive against sustained), each as mean and deviation over the frames, in dB. 32 values, standardised over the
/// library like <see cref="DspEncoder"/>'s; meant to be combined with it (<c>model.encoder: dsp+spectral</c>).
/// </summary>
public sealed class SpectralEncoder : IAudioEncoder
{
    public const int BandGroups = 8;

    public string Name => Encoders.SpectralName;
    /// <summary>Names <see cref="Describe"/>'s values: part of the analysis cache key, since the analysis computes them.</summary>
    public const string DescriptorVersion = "spectral-v1";

    public string Version => DescriptorVersion;
    public int Dimension => 4 * BandGroups;
    public EncoderReads Reads => EncoderReads.Features;
    public bool Standardised => true;

    public IReadOnlyList<float[]> Encode(IReadOnlyList<EncoderInput> batch) => batch.Select(input =>
        input.Analysis.SpectralTexture is { Length: > 0 } texture ? texture
            : throw new InvalidOperationException($"The spectral encoder needs the analysis's spectral texture for {input.Path}.")).ToList();

    /// <summary>[contrast mean, contrast deviation] per group, then [flux mean, flux deviation] per group.</summary>
    public static float[] Describe(Matrix logMelDb)
    {
        var bandsPerGroup = logMelDb.Cols / BandGroups;
        var contrast = new Moments[BandGroups];
        var flux = new Moments[BandGroups];
        var previousLevel = new double[BandGroups];
        for (var frame = 0; frame < logMelDb.Rows; frame++)
        {
            var row = logMelDb.Row(frame);
            for (var group = 0; group < BandGroups; group++)
            {
                var bands = row.Slice(group * bandsPerGroup, bandsPerGroup);
                double low = double.PositiveInfinity, high = double.NegativeInfinity, sum = 0;
                foreach (var db in bands)
                {
                    low = Math.Min(low, db);
                    high = Math.Max(high, db);
                    sum += db;
                }
                contrast[group].Add(high - low);
                var level = sum / bandsPerGroup;
                if (frame > 0) flux[group].Add(Math.Abs(level - previousLevel[group]));
                previousLevel[group] = level;
            }
        }
        return [.. contrast.Select(m => (float)m.Mean), .. contrast.Select(m => (float)m.Deviation),
            .. flux.Select(m => (float)m.Mean), .. flux.Select(m => (float)m.Deviation)];
    }

    /// <summary>Running mean and population deviation (0 for no values).</summary>
    private struct Moments
    {
        private int _count;
        private double _sum, _sumOfSquares;

        public void Add(double value)
        {
            _count++;
            _sum += value;
            _sumOfSquares += value * value;
        }

        public readonly double Mean => _count == 0 ? 0 : _sum / _count;
        public readonly double Deviation => _count == 0 ? 0 : Math.Sqrt(Math.Max(0, _sumOfSquares / _count - Mean * Mean));
    }
}
