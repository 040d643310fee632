namespace SSIS.Batch.Engine.Pipeline;

/// <summary>Where the graph reports progress (a live display on a terminal, plain lines otherwise). Must be thread-safe.</summary>
public interface IRunProgress
{
    void StageStarted(string stage, int totalItems);
    void Advanced(string stage, int items = 1);

    /// <summary>
    /// Of the items the next <see cref="Advanced"/> of <paramref name="stage"/> reports, how many came from the cache (no
    /// work was done): a display counts them apart and leaves them out of the stage's rate and time left.
    /// </summary>
    void FromCache(string stage, int items) { }

    void StageFinished(string stage);
    void Message(string text);
}

/// <summary>A stage's result that may have come from the cache; <see cref="BoundedStage"/> reports those as such.</summary>
public interface ICachedResult
{
    bool FromCache { get; }
}

/// <summary>The progress stages that are steps of one computation rather than files.</summary>
public static class ProgressStages
{
    /// <summary>Training the contrastive encoder: one item per epoch.</summary>
    public const string ContrastiveTraining = "train contrastive";

    /// <summary>Training (k-fold cross-validation, then the final fit), predicting and recommending: one item.</summary>
    public const string RatingModel = "rating model";
}
