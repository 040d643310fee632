namespace SSIS.Batch.Engine.Embedding.Contrastive;

/// <summary>
/// The contrastive encoder's shape and training. Frames are the analysis's 64-band log-mel frames averaged in pairs
/// (20 ms hop); a window of <see cref="WindowFrames"/> such frames is one view.
/// </summary>
/// <param name="Dimension">embedding length (Z)</param>
/// <param name="HiddenUnits">width of the two frame layers</param>
/// <param name="ContextFrames">frames the first layer sees at once (a 1-D convolution of that width)</param>
/// <param name="WindowFrames">frames per view: 128 × 20 ms ≈ 2.6 s</param>
/// <param name="ProjectionDimension">width of the projection head NT-Xent works on (dropped after training)</param>
/// <param name="Temperature">NT-Xent temperature</param>
/// <param name="Epochs">passes over the tracks</param>
/// <param name="BatchTracks">tracks per step (two views each)</param>
/// <param name="LearningRate">Adam step size</param>
/// <param name="Seed">seeds weights, windows and augmentations</param>
/// <param name="GainDb">views get a random gain in ±GainDb</param>
/// <param name="NoiseStd">Gaussian noise added to the normalised frames</param>
/// <param name="MaxBandShift">views are shifted by up to this many mel bands (a cheap small pitch shift)</param>
public sealed record ContrastiveSettings(
    int Dimension = 64,
    int HiddenUnits = 128,
    int ContextFrames = 3,
    int WindowFrames = 128,
    int ProjectionDimension = 64,
    double Temperature = 0.1,
    int Epochs = 30,
    int BatchTracks = 32,
    double LearningRate = 1e-3,
    ulong Seed = 1,
    double GainDb = 6,
    double NoiseStd = 0.1,
    int MaxBandShift = 1)
{
    /// <summary>Analysis frames averaged into one encoder frame.</summary>
    public const int FramePooling = 2;
}
