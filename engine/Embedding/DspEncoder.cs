using SSIS.Batch.Engine.Learning;

namespace SSIS.Batch.Engine.Embedding;

/// <summary>
/// The default encoder, with no weights: the analysis's feature statistics in one vector — MFCC mean and deviation (40),
/// chroma (12), log-mel mean and deviation (128), and twelve scalars (level, spectral shape, rhythm, QC) — each
/// dimension then standardised over the library (<see cref="Standardisation"/>), so no feature dominates by its unit.
/// </summary>
public sealed class DspEncoder : IAudioEncoder
{
    public string Name => "dsp";
    public string Version => "dsp-v1";
    public int Dimension => 20 + 20 + 12 + 64 + 64 + 12;
    public EncoderReads Reads => EncoderReads.Features;
    public bool Standardised => true;

    public IReadOnlyList<float[]> Encode(IReadOnlyList<EncoderInput> batch) => batch.Select(input =>
    {
        var a = input.Analysis;
        if (!a.HasFeatures)
            throw new InvalidOperationException($"The dsp encoder needs the analysis's feature statistics of {input.Path}: read them from the state store.");
        float[] scalars =
        [
            (float)a.RmsMean, (float)a.RmsStd, (float)(a.CentroidMeanHz / 1000), (float)(a.CentroidStdHz / 1000),
            (float)(a.RolloffMeanHz / 1000), (float)a.FlatnessMean, (float)a.FluxMean, (float)a.FluxStd, (float)a.OnsetMean,
            (float)(a.TempoBpm / 100), (float)Math.Max(-70, double.IsFinite(a.LoudnessLufs) ? a.LoudnessLufs : -70) / 10, (float)a.SilenceRatio,
        ];
        return (float[])[.. a.MfccMean, .. a.MfccStd, .. a.ChromaMean, .. a.MelMeanDb, .. a.MelStdDb, .. scalars];
    }).ToList();
}

/// <summary>Per-dimension mean and standard deviation of an encoder's vectors over a library; applied as z-scores.</summary>
public sealed record Standardisation(float[] Mean, float[] Std)
{
    public static Standardisation Fit(IReadOnlyList<float[]> vectors) => Fit(() => vectors);

    /// <summary>
    /// The statistics over vectors enumerated twice (the mean, then the deviation), so they can be read from the state
    /// store a batch at a time instead of held. Sums in enumeration order, in double.
    /// </summary>
    public static Standardisation Fit(Func<IEnumerable<float[]>> vectors)
    {
        double[]? sums = null;
        long count = 0;
        foreach (var vector in vectors())
        {
            sums ??= new double[vector.Length];
            for (var d = 0; d < sums.Length; d++) sums[d] += vector[d];
            count++;
        }
        if (sums is null) return new Standardisation([], []);
        var means = Array.ConvertAll(sums, sum => sum / count);
        var squares = new double[means.Length];
        foreach (var vector in vectors())
            for (var d = 0; d < squares.Length; d++)
                squares[d] += (vector[d] - means[d]) * (vector[d] - means[d]);
        return new Standardisation(Array.ConvertAll(means, m => (float)m), Array.ConvertAll(squares, s => (float)Math.Sqrt(s / count)));
    }

    /// <summary>(x − mean) / std per dimension; a dimension that never varies becomes 0.</summary>
    public float[] Apply(float[] vector) => AsLayer().Forward(new Matrix(1, vector.Length, vector), training: false).Data;

    /// <summary>The same mapping as a fixed network layer, so a network can learn through it.</summary>
    public Standardise AsLayer() => new(Mean, Std);
}
