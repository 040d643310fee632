using System.Text.Json;
using SSIS.Batch.Engine.Output;

namespace SSIS.Batch.Engine.Rating;

/// <summary>
/// What the rating step did: the model's scores, how many tracks it predicted and recommended, and the recommend
/// settings it used (<c>ssis recommend</c> takes its defaults from them). <see cref="Warning"/>: the model has not learnt the ratings.
/// </summary>
public sealed record RatingSummary(string EmbeddingVersion, string Regressor, int Rated, int Predicted, int Recommended, RatingScores CrossValidated,
    string? Xspf, RecommendOptions? Settings)
{
    public string? Warning => RatingStep.UntrustedWarning(CrossValidated);

    /// <summary>The run's warning when the playlist lists no track, or null.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? EmptyPlaylistWarning => Recommended == 0 && Settings is not null
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"the playlist {Xspf} is empty: no track is predicted at or above recommend.min_rating {Settings.MinRating:0.00}")
        : null;

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

    /// <summary>Below this cross-validated AUC the model has not learnt the taste (0.5 is chance), and its playlist is not to be trusted.</summary>
    public const double TrustedAuc = 0.6;

    /// <summary>The warning a run, run.json, <c>ssis status</c> and <c>ssis recommend</c> give for a model that has not learnt the ratings.</summary>
    public static string? UntrustedWarning(RatingScores crossValidated) => crossValidated.Auc is { } auc && auc < TrustedAuc
        ? $"the rating model's cross-validated AUC is {auc:0.000}, below {TrustedAuc:0.0}: it has not learnt the taste, and the playlist is not to be trusted"
        : null;

    /// <param name="workers">threads the boosted-trees learners may use</param>
    public static RatingSummary Train(string outputFolder, RatingOptions options, RecommendOptions recommend, OutputFormats formats, int workers,
        CancellationToken cancellationToken = default)
    {
        // Too few ratings shows in tracks.parquet alone: the library's vectors are read only when there is a model to train.
        RatingTrainer.RequireEnough(RatingDataset.RatedCandidates(outputFolder), "probed ok", options);
        var version = RatingDataset.EmbeddingVersion(outputFolder, options.Encoder)
            ?? throw new TooFewRatingsException($"No track of this run has a '{options.Encoder}' embedding, so there is nothing to train on"
                                                + (RatingDataset.Parts(options.Encoder).Count > 1 ? " (set model.encoder to the parts this run embedded)." : "."));
        var (candidates, partLengths) = RatingDataset.LoadWithParts(outputFolder, version);
        var (model, outOfFold) = RatingTrainer.Train(candidates, version, options, workers, partLengths, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        return Publish(outputFolder, model, outOfFold, options, recommend, formats, candidates);
    }

    /// <summary>
    /// Saves a model trained elsewhere (joint mode trains with the encoder, before the run's outputs exist) with its
    /// metrics, then predicts and recommends from the run's embeddings of its version.
    /// </summary>
    public static RatingSummary Publish(string outputFolder, RatingModel model, IReadOnlyList<OutOfFoldPrediction> outOfFold, RatingOptions options,
        RecommendOptions recommend, OutputFormats formats, IReadOnlyList<CandidateTrack>? candidates = null)
    {
        model.Save(outputFolder);
        PredictionsTable.WriteOutOfFold(outputFolder, outOfFold, model.EmbeddingVersion, formats);
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
            kernel_lambda = model.Kernel?.Lambda,
            kernel_support = model.Kernel?.Support.Length,
            mlp_epochs = model.Mlp?.Epochs,
        }, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        // A run says so when its playlist comes out empty (JobRunner's warning) rather than keep the last run's.
        return Recommend(outputFolder, recommend, formats, model, candidates ?? RatingDataset.Load(outputFolder, model.EmbeddingVersion),
            replaceWithEmpty: true);
    }

    /// <summary>
    /// Predictions and recommendations from the run's saved model (no training), in the formats the run wrote its tables.
    /// An empty playlist does not replace one that lists tracks unless <paramref name="replaceWithEmpty"/>:
    /// <see cref="EmptyPlaylistException"/>, nothing written.
    /// </summary>
    public static RatingSummary Recommend(string outputFolder, RecommendOptions recommend, bool replaceWithEmpty)
    {
        var model = RatingModel.Load(outputFolder);
        return Recommend(outputFolder, recommend, OutputFormatNames.Present(outputFolder, TracksTable.Schema), model,
            RatingDataset.Load(outputFolder, model.EmbeddingVersion), replaceWithEmpty);
    }

    private static RatingSummary Recommend(string outputFolder, RecommendOptions recommend, OutputFormats formats, RatingModel model,
        IReadOnlyList<CandidateTrack> candidates, bool replaceWithEmpty)
    {
        var predictions = Recommender.Predict(model, candidates);
        var recommendations = Recommender.Recommend(predictions, candidates, recommend, model.LikeThreshold);
        // run.json keeps the playlist's full path, whatever folder the caller named the output folder from.
        var xspf = Path.GetFullPath(recommend.XspfPath ?? Path.Combine(outputFolder, XspfPlaylist.FileName));
        if (recommendations.Count == 0 && !replaceWithEmpty && XspfPlaylist.TrackCount(xspf) is > 0 and var kept)
            throw new EmptyPlaylistException(
                $"no track is predicted at or above min_rating {recommend.MinRating:0.00}, so the playlist would be empty: {xspf} keeps its {kept} tracks " +
                "and the run's outputs are unchanged (lower --min-rating, or pass --force to write the empty playlist)");
        // The playlist first: its path is the user's to name, the likeliest write to fail, and then nothing else is replaced.
        // The player shows the title: an untrusted model's playlist says so where the listener looks.
        var untrusted = model.CrossValidated.Auc is { } auc && auc < TrustedAuc ? $", not to be trusted: cross-validated AUC {auc:0.00}" : "";
        XspfPlaylist.Write(xspf, recommendations,
            $"SSIS recommendations ({model.EmbeddingVersion}, {model.Regressor.ToString().ToLowerInvariant()}{untrusted})");
        PredictionsTable.Write(outputFolder, predictions, model.EmbeddingVersion, formats);
        PredictionsTable.WriteRecommendations(outputFolder, recommendations, formats);
        return new RatingSummary(model.EmbeddingVersion, model.Regressor.ToString().ToLowerInvariant(), model.TrainedOn, predictions.Count,
            recommendations.Count, model.CrossValidated, xspf, recommend) { Recommendations = recommendations, ModelFiles = model.Files };
    }
}

/// <summary>A recommendation that would replace a playlist listing tracks with an empty one, refused.</summary>
public sealed class EmptyPlaylistException(string message) : InvalidOperationException(message);
