namespace SSIS.Batch.Engine.Analysis;

/// <summary>
/// What the analysis says of one track's centre crop: where the crop is, QC, feature statistics over its frames
/// (mean and standard deviation), tempo, the spectral texture (<see cref="Embedding.SpectralEncoder.Describe"/>: the
/// spectral encoder's values, computed here from the crop's log-mel frames so no job keeps an excerpt for it), and the
/// speech estimate. Units are in the names.
/// <see cref="CropLabelSeconds"/>: with the segmenter as the gate, the seconds of each segment label in the part of the crop it
/// segmented (label order), the crop's scene.
/// The barriers hold the compact form (<see cref="WithoutFeatures"/>); the steps that read the feature statistics (the
/// dsp encoder, analysis.parquet) read them back from the state store a batch at a time.
/// </summary>
public sealed record TrackAnalysis(
    double CropStartSeconds,
    double CropLengthSeconds,
    string Decoder,
    double LoudnessLufs,
    double PeakDbfs,
    double ClippingRatio,
    double SilenceRatio,
    double RmsMean,
    double RmsStd,
    double CentroidMeanHz,
    double CentroidStdHz,
    double RolloffMeanHz,
    double FlatnessMean,
    double FluxMean,
    double FluxStd,
    double OnsetMean,
    double TempoBpm,
    float[] MfccMean,
    float[] MfccStd,
    float[] ChromaMean,
    float[] MelMeanDb,
    float[] MelStdDb,
    float[] SpectralTexture,
    double SpeechProbability,
    int SpeechWindows,
    string SpeechDetector,
    double[]? CropLabelSeconds = null)
{
    /// <summary>False in the compact form the barriers hold: the six feature-statistics arrays are in the state store.</summary>
    public bool HasFeatures => MelMeanDb.Length > 0;

    /// <summary>
    /// The compact form: no feature-statistics arrays (about 0.9 KB a track) and the decoder and detector names shared,
    /// not one copy per track.
    /// </summary>
    public TrackAnalysis WithoutFeatures() => this with
    {
        MfccMean = [], MfccStd = [], ChromaMean = [], MelMeanDb = [], MelStdDb = [], SpectralTexture = [],
        Decoder = string.Intern(Decoder), SpeechDetector = string.Intern(SpeechDetector),
    };
}
