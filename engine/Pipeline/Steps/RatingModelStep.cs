using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Rating;

namespace SSIS.Batch.Engine.Pipeline.Steps;

/// <summary>
/// Barrier: trains the rating model on the written outputs (or publishes joint mode's, trained with the encoder) and
/// recommends; too few ratings is a message, not a failure.
/// </summary>
public sealed class RatingModelStep : IRunStep
{
    public string Name => "rating";
    public string Description => "the rating model, its predictions and the recommendations playlist";
    public StepScope Scope => StepScope.Library;
    public bool IsEnabled(JobOptions options) => options is { AnalysisSettings.Enabled: true, RatingSettings.Enabled: true };

    public Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        if (run.RatingSkipped is not null) return Task.CompletedTask;
        var options = run.Options;
        var settings = options.RatingSettings;
        var jointModel = run.JointModel;
        if (jointModel is null)
            run.Progress.Message($"Training the rating model ({settings.Regressor.ToString().ToLowerInvariant()} on {settings.Encoder} embeddings)");
        run.Progress.StageStarted(ProgressStages.RatingModel, 1);
        try
        {
            var summary = jointModel is null
                ? RatingStep.Train(options.OutputFolder, settings, options.RecommendSettings, options.Formats, options.Workers, cancellationToken)
                : RatingStep.Publish(options.OutputFolder, jointModel, run.JointOutOfFold, settings, options.RecommendSettings, options.Formats);
            run.Progress.Advanced(ProgressStages.RatingModel);
            run.Progress.StageFinished(ProgressStages.RatingModel);
            run.Progress.Message($"Rating model, {settings.Folds}-fold over {summary.Rated} rated tracks: {summary.CrossValidated.Describe()}");
            if (summary.Warning is { } warning) run.Warn(warning);
            if (summary.EmptyPlaylistWarning is { } empty) run.Warn(empty);
            // run.json stays the last output listed.
            run.Outputs.InsertRange(run.Outputs.Count - 1, [
                .. jointModel is null ? Array.Empty<string>() : [JointTrainer.EncoderFileName],
                .. summary.ModelFiles, RatingStep.MetricsFileName,
                .. options.Formats.Each().SelectMany(f => new[]
                    { PredictionsTable.OutOfFoldSchema.FileName(f), PredictionsTable.Schema.FileName(f), PredictionsTable.RecommendationsSchema.FileName(f) }),
                Path.GetRelativePath(options.OutputFolder, summary.Xspf!)]);
            run.Rating = summary;
        }
        catch (TooFewRatingsException e)
        {
            run.Progress.StageFinished(ProgressStages.RatingModel);
            run.Progress.Message($"No rating model: {e.Message}");
            run.RatingSkipped = e.Message;
        }
        return Task.CompletedTask;
    }
}
