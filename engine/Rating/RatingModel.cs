using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using SSIS.Batch.Engine.Embedding;
using SSIS.Batch.Engine.Output;

namespace SSIS.Batch.Engine.Rating;

/// <summary>
/// A trained rating model, saved as JSON (rating_model.json) so <c>ssis recommend</c> reuses it without retraining:
/// the embedding version it reads, the feature standardisation, the regressor's weights, the isotonic P(like)
/// calibration, and its cross-validated scores. <paramref name="FineTunedFrom"/>: in joint mode, the contrastive
/// version the encoder was fine-tuned from (its fine-tuned version is <paramref name="EmbeddingVersion"/>). Boosted
/// trees are saved beside it as ML.NET's model zip (<see cref="TreesFileName"/>), which <see cref="TreeModel"/> names
/// with its SHA-256, so a zip from another run is refused rather than read with this model's standardisation.
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
    public const string TreesFileName = "rating_model.trees.zip";

    /// <summary>The fasttree or lightgbm regressor (null for the others); saved in its own file.</summary>
    [JsonIgnore]
    public BoostedTreesRegressor? Trees { get; init; }

    /// <summary>The kernel ridge regressor (null for the others), saved in the model file with its support tracks' vectors (at most <see cref="KernelRidgeRegressor.MaxLandmarks"/>).</summary>
    public KernelRidgeRegressor? Kernel { get; init; }

    /// <summary>Where the trees were saved, relative to the model's folder, and the file's SHA-256 (null: no trees).</summary>
    public SavedFile? TreeModel { get; init; }

    /// <summary>The files <see cref="Save"/> writes, relative to its folder.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> Files => Trees is null ? [FileName] : [TreesFileName, FileName];

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
        return Regressor switch
        {
            RegressorKind.Ridge => Ridge!.Predict(x),
            RegressorKind.Kernel => Kernel!.Predict(x),
            RegressorKind.FastTree or RegressorKind.LightGbm => Trees!.Predict(x),
            // Joint mode's head is an MLP over the fine-tuned encoder's vectors.
            _ => (_mlp ??= MlpRegressor.FromState(Mlp!)).Predict(x),
        };
    }

    public double LikeProbability(double predictedRating) => Calibration.Apply(predictedRating);

    /// <summary>
    /// Writes the trees first, so the model file never names a zip that is not there yet; a model without trees
    /// removes the zip an earlier run left.
    /// </summary>
    public void Save(string folder)
    {
        var saved = this;
        if (Trees is not null)
        {
            var zip = Trees.ToZip();
            AtomicFile.Write(Path.Combine(folder, TreesFileName), temp => File.WriteAllBytes(temp, zip));
            saved = this with { TreeModel = new SavedFile(TreesFileName, Convert.ToHexStringLower(SHA256.HashData(zip))) };
        }
        AtomicFile.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(saved, Json));
        if (Trees is null) File.Delete(Path.Combine(folder, TreesFileName));
    }

    public static RatingModel Load(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"No rating model in {folder}: run a job with ratings first (model training writes {FileName}).", path);
        try
        {
            var model = JsonSerializer.Deserialize<RatingModel>(File.ReadAllText(path), Json) ?? throw new JsonException("empty");
            return model.TreeModel is null ? model : model with { Trees = LoadTrees(folder, model.TreeModel) };
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a readable rating model: {e.Message}", e);
        }
    }

    private static BoostedTreesRegressor LoadTrees(string folder, SavedFile saved)
    {
        var path = Path.Combine(folder, saved.File);
        if (!File.Exists(path)) throw new FileNotFoundException($"The rating model in {folder} needs its trees, {saved.File}, which is missing.", path);
        var zip = File.ReadAllBytes(path);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(zip));
        if (sha256 != saved.Sha256)
            throw new InvalidDataException($"{path} is not the file {FileName} was saved with (SHA-256 {sha256}, expected {saved.Sha256}): rerun the job.");
        return BoostedTreesRegressor.FromZip(zip);
    }
}

/// <summary>A file saved beside another, named relative to its folder, with its SHA-256 (lower-case hex).</summary>
public sealed record SavedFile(string File, string Sha256);
