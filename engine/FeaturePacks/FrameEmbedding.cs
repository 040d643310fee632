namespace SSIS.Batch.Engine.FeaturePacks;

/// <summary>
/// The pack's frame embedding (<see cref="FeaturePackLayout.EmbeddingVersion"/>): each log-mel band's mean over a
/// row's frames, then each band's population standard deviation, in dB. A DSP summary rather than the job's contrastive
/// encoder: it exists in every job without a trained model, and it depends on the audio alone, so a pack stays valid
/// when the encoder is retrained on a changed library (the encoder's crop embeddings are in embeddings.parquet).
/// </summary>
public static class FrameEmbedding
{
    public static float[] Of(IReadOnlyList<float[]> frames)
    {
        const int bands = FeaturePackLayout.MelBands;
        var embedding = new float[FeaturePackLayout.EmbeddingDimension];
        if (frames.Count == 0) return embedding;
        for (var b = 0; b < bands; b++)
        {
            double sum = 0, squares = 0;
            foreach (var frame in frames)
            {
                sum += frame[b];
                squares += (double)frame[b] * frame[b];
            }
            var mean = sum / frames.Count;
            embedding[b] = (float)mean;
            embedding[bands + b] = (float)Math.Sqrt(Math.Max(0, squares / frames.Count - mean * mean));
        }
        return embedding;
    }
}
