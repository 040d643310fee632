using SSIS.Batch.Engine.Embedding;
using SSIS.Batch.Engine.Learning;

namespace SSIS.Batch.Engine.Rating;

/// <summary>
/// Gives each encoder of a combined model input (<c>dsp+spectral</c>) the same share of the standardised input's
/// variance, whatever its length: part p's z-scores are multiplied by √(D / (P · lengthₚ)) (D values in all, P parts).
/// Without it, ridge's penalty lets the longest part (dsp's 192 values against spectral's 58) speak loudest; one
/// part's weight is 1, so a single encoder's input is unchanged. Folded into the standardisation's deviations, so the
/// saved model applies it when it predicts.
/// </summary>
public static class PartWeighting
{
    public static Standardisation Weigh(Standardisation features, IReadOnlyList<int> partLengths)
    {
        var total = partLengths.Sum();
        if (partLengths.Count <= 1 || total != features.Std.Length) return features;
        var std = (float[])features.Std.Clone();
        var offset = 0;
        foreach (var length in partLengths)
        {
            var weight = Math.Sqrt((double)total / (partLengths.Count * length));
            // A constant dimension (deviation at or below the standardisation's floor) stays constant: no weight lifts it.
            for (var d = offset; d < offset + length; d++) std[d] = std[d] <= Standardise.MinStd ? std[d] : (float)(std[d] / weight);
            offset += length;
        }
        return features with { Std = std };
    }
}
