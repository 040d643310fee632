using System.Text.Json;
using SSIS.Batch.Engine.Output;

namespace SSIS.Batch.Engine.Rating;

/// <summary>What the rating step did: the model's scores and how many tracks it predicted and recommended.</summary>
public sealed record RatingSummary(string EmbeddingVersion, string Regressor, int Rated, int Predicted, int Recommended, RatingScores CrossValidated,
    string? Xspf)
{
    /// <summary>The model's files in the output folder (for run.json's list of outputs).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> ModelFiles { get; init; } = [];

    /// <summary>The playlist itself, for the command line (not written to run.json).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<Recommendation> Recommendations { get; init; } = [];
}

/// <summary>
/// After a run's outputs are written: train the rating model on them (writing rating_model.json and model_metrics.json),
/// then predict and recommend. <see cref="Recommend"/> alone reuses a saved model.
/// </summary>
public static class RatingStep
{
    public const string MetricsFileName = "model_metrics.json";

    /// <param name="workers">threads the boosted-trees learners may use</param>
    public static RatingSummary Train(string outputFolder, RatingOptions options, RecommendOptions recommend, OutputFormats formats, int workers)
    {
        var version = RatingDataset.EmbeddingVersion(outputFolder, options.Encoder)
            ?? throw new TooFewRatingsException($"No track of this run has a '{options.Encoder}' embedding, so there is nothing to train on.");
        var candidates = RatingDataset.Load(outputFolder, version);
        var (model, _) = RatingTrainer.Train(candidates, version, options, workers);
        return Publish(outputFolder, model, options, recommend, formats, candidates);
    }

    /// <summary>
    /// Saves a model trained elsewhere (joint mode trains with the encoder, before the run's outputs exist) with its
    /// metrics, then predicts and recommends from the run's embeddings of its version.
    /// </summary>
    public static RatingSummary Publish(string outputFolder, RatingModel model, RatingOptions options, RecommendOptions recommend,
        OutputFormats formats, IReadOnlyList<CandidateTrack>? candidates = null)
    {
        model.Save(outputFolder);
        AtomicFile.WriteAllText(Path.Combine(outputFolder, MetricsFileName), JsonSerializer.Serialize(new
        {
            embedding_version = model.EmbeddingVersion,
            fine_tuned_from = model.FineTunedFrom,
            regressor = model.Regressor.ToString().ToLowerInvariant(),
            folds = options.Folds,
            like_threshold = model.LikeThreshold,
            rated_tracks = model.TrainedOn,
            rmse = model.CrossValidated.Rmse,
            spearman = model.CrossValidated.Spearman,
            auc = model.CrossValidated.Auc,
            ndcg_at_10 = model.CrossValidated.NdcgAt10,
            ridge_lambda = model.Ridge?.Lambda,
            mlp_epochs = model.Mlp?.Epochs,
        }, new JsonSerializerOptions { WriteIndented = true }));
        return Recommend(outputFolder, recommend, formats, model, candidates ?? RatingDataset.Load(outputFolder, model.EmbeddingVersion));
    }

    /// <summary>Predictions and recommendations from the run's saved model (no training), in the formats the run wrote its tables.</summary>
    public static RatingSummary Recommend(string outputFolder, RecommendOptions recommend)
    {
        var model = RatingModel.Load(outputFolder);
        return Recommend(outputFolder, recommend, OutputFormatNames.Present(outputFolder, TracksTable.Schema), model,
            RatingDataset.Load(outputFolder, model.EmbeddingVersion));
    }

    private static RatingSummary Recommend(string outputFolder, RecommendOptions recommend, OutputFormats formats, RatingModel model,
        IReadOnlyList<CandidateTrack> candidates)
    {
        var predictions = Recommender.Predict(model, candidates);
        var recommendations = Recommender.Recommend(predictions, candidates, recommend, model.LikeThreshold);
        PredictionsTable.Write(outputFolder, predictions, model.EmbeddingVersion, formats);
        PredictionsTable.WriteRecommendations(outputFolder, recommendations, formats);
        var xspf = recommend.XspfPath ?? Path.Combine(outputFolder, XspfPlaylist.FileName);
        XspfPlaylist.Write(xspf, recommendations, $"SSIS recommendations ({model.EmbeddingVersion}, {model.Regressor.ToString().ToLowerInvariant()})");
        return new RatingSummary(model.EmbeddingVersion, model.Regressor.ToString().ToLowerInvariant(), model.TrainedOn, predictions.Count,
            recommendations.Count, model.CrossValidated, xspf) { Recommendations = recommendations, ModelFiles = model.Files };
    }
}
