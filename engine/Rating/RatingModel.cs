using System.Text.Json;
using System.Text.Json.Serialization;
using SSIS.Batch.Engine.Embedding;
using SSIS.Batch.Engine.Output;

namespace SSIS.Batch.Engine.Rating;

/// <summary>
/// A trained rating model, saved as JSON (rating_model.json) so <c>ssis recommend</c> reuses it without retraining:
/// the embedding version it reads, the feature standardisation, the regressor's weights, the isotonic P(like)
/// calibration, and its cross-validated scores. <paramref name="FineTunedFrom"/>: in joint mode, the contrastive
/// version the encoder was fine-tuned from (its fine-tuned version is <paramref name="EmbeddingVersion"/>).
/// </summary>
public sealed record RatingModel(
    string EmbeddingVersion,
    RegressorKind Regressor,
    Standardisation Features,
    RidgeRegressor? Ridge,
    MlpState? Mlp,
    IsotonicCalibration Calibration,
    double LikeThreshold,
    int TrainedOn,
    RatingScores CrossValidated,
    DateTime TrainedUtc,
    string? FineTunedFrom = null)
{
    public const string FileName = "rating_model.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    [JsonIgnore]
    private MlpRegressor? _mlp;

    /// <summary>Predicted rating in [0, 1] for a raw embedding.</summary>
    public double Predict(float[] embedding)
    {
        var x = Features.Apply(embedding);
        // Joint mode's head is an MLP over the fine-tuned encoder's vectors.
        return Regressor == RegressorKind.Ridge ? Ridge!.Predict(x) : (_mlp ??= MlpRegressor.FromState(Mlp!)).Predict(x);
    }

    public double LikeProbability(double predictedRating) => Calibration.Apply(predictedRating);

    public void Save(string folder) => AtomicFile.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Json));

    public static RatingModel Load(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"No rating model in {folder}: run a job with ratings first (model training writes {FileName}).", path);
        try
        {
            return JsonSerializer.Deserialize<RatingModel>(File.ReadAllText(path), Json) ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a readable rating model: {e.Message}", e);
        }
    }
}
