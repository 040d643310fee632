namespace SSIS.Batch.Engine.Analysis;

/// <summary>
/// What the analysis says of one track's centre crop: where the crop is, QC, feature statistics over its frames
/// (mean and standard deviation), tempo, and the speech estimate. Units are in the names.
/// <see cref="CropLabelSeconds"/>: with the segmenter as the gate, the seconds of each segment label in the part of the crop it
/// segmented (label order), the crop's scene.
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
    double SpeechProbability,
    int SpeechWindows,
    string SpeechDetector,
    double[]? CropLabelSeconds = null);
