using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Embedding.Contrastive;
using SSIS.Batch.Engine.Learning;

namespace SSIS.Batch.Engine.Embedding;

/// <summary>
/// Texture, rhythm and dynamics the analysis's per-band averages miss, from the crop's log-mel excerpt (7.68 s at a
/// 20 ms hop, 64 mel bands in dB). The analysis computes them (<see cref="Analysis.TrackAnalysis.SpectralDescriptor"/>: no job keeps
/// an excerpt for them) and the encoder reads them. 58 values, standardised over the library like <see cref="DspEncoder"/>'s and meant to
/// be combined with it (<c>model.encoder: dsp+spectral</c>):
/// <list type="bullet">
/// <item>0–31, in 8 groups of 8 adjacent mel bands: spectral contrast (each frame's loudest band minus its quietest
/// within the group, dB: peaky, tonal groups against flat, noisy ones) mean per group, then its deviation, then the
/// group's flux (how much its mean level moves frame to frame, dB: plucked and percussive against sustained) mean and
/// deviation;</item>
/// <item>32–43: <see cref="ModulationSpectrum"/>, the share of each of 4 band groups' level movement at 1–4, 4–8 and
/// 8–16 Hz (dB);</item>
/// <item>44–49: <see cref="OnsetsAndDynamics"/>, onsets per second, loudness dynamics (dB) and onset strength;</item>
/// <item>50–57: <see cref="SpectralShape"/>, centroid, spread and roll-off (mel bands) and flatness (dB), mean and
/// deviation.</item>
/// </list>
/// </summary>
public sealed class SpectralEncoder : IAudioEncoder
{
    public const int BandGroups = 8;

    /// <summary>The excerpt's frame rate: the analysis's 10 ms frames averaged in pairs.</summary>
    public const double FramesPerSecond = 1 / (FeatureSummary.HopSeconds * ContrastiveSettings.FramePooling);

    public const int TextureValues = 4 * BandGroups;
    public const int ModulationOffset = TextureValues;
    public const int DynamicsOffset = ModulationOffset + ModulationSpectrum.BandGroups * 3;
    public const int ShapeOffset = DynamicsOffset + OnsetsAndDynamics.Values;

    public string Name => Encoders.SpectralName;
    /// <summary>Names <see cref="Describe"/>'s values: part of the analysis cache key, since the analysis computes them.</summary>
    public const string DescriptorVersion = "spectral-v2";

    public string Version => DescriptorVersion;
    public int Dimension => ShapeOffset + SpectralShape.Values;
    public EncoderReads Reads => EncoderReads.Features;
    public bool Standardised => true;

    public IReadOnlyList<float[]> Encode(IReadOnlyList<EncoderInput> batch) => batch.Select(input =>
        input.Analysis.SpectralDescriptor is { Length: > 0 } values ? values
            : throw new InvalidOperationException($"The spectral encoder needs the analysis's spectral values for {input.Path}.")).ToList();

    /// <summary>The 58 values above, in that order.</summary>
    public static float[] Describe(Matrix logMelDb) =>
    [
        .. Texture(logMelDb), .. ModulationSpectrum.Describe(logMelDb, FramesPerSecond),
        .. OnsetsAndDynamics.Describe(logMelDb, FramesPerSecond), .. SpectralShape.Describe(logMelDb),
    ];

    /// <summary>[contrast mean, contrast deviation] per group, then [flux mean, flux deviation] per group.</summary>
    private static float[] Texture(Matrix logMelDb)
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
}
