using System.Text.Json.Serialization;

namespace SSIS.Batch.Engine.Rating;

public enum RegressorKind
{
    /// <summary>Ridge regression, closed form, λ chosen by cross-validation (by AUC of like against the rest; see <see cref="RidgeRegressor"/>).</summary>
    Ridge,
    /// <summary>A small MLP with dropout and a sigmoid output, trained with Adam and early stopping.</summary>
    Mlp,
    /// <summary>
    /// An MLP head on the contrastive encoder, trained together with the encoder on the rated tracks (joint mode): the
    /// fine-tuned encoder gives a new embedding version.
    /// </summary>
    Joint,
    /// <summary>RBF kernel ridge regression, λ chosen by cross-validated AUC (see <see cref="KernelRidgeRegressor"/>): exact up to 500 rated tracks, Nyström on 500 landmarks above; keeps at most 500 vectors.</summary>
    Kernel,
    /// <summary>ML.NET's FastTree: gradient-boosted regression trees.</summary>
    [JsonStringEnumMemberName("fasttree")]
    FastTree,
    /// <summary>ML.NET's LightGBM binding: gradient-boosted regression trees grown leaf-wise (native, OpenMP).</summary>
    [JsonStringEnumMemberName("lightgbm")]
    LightGbm,
}

/// <summary>The rating model: what it learns from and how.</summary>
/// <param name="Enabled">train and recommend after the embeddings (needs a catalog with ratings)</param>
/// <param name="Encoder">encoder whose vectors it reads (dsp, spectral, contrastive, or an ONNX encoder's name; several joined by +
/// read each track's vectors concatenated); the default, dsp+spectral+contrastive, won the seventh round of choosing the defaults (README)</param>
/// <param name="Regressor">kernel (the default since the sixth round of choosing the defaults), ridge, mlp, joint (needs the contrastive encoder), fasttree or lightgbm</param>
/// <param name="HiddenUnits">MLP (and joint head) hidden layer widths</param>
/// <param name="Dropout">MLP dropout after each hidden layer</param>
/// <param name="MaxEpochs">MLP epochs at most (early stopping usually ends sooner)</param>
/// <param name="Patience">MLP and joint epochs without a better validation loss before stopping</param>
/// <param name="LearningRate">MLP (and joint head) Adam step size</param>
/// <param name="ValidationShare">share of the training tracks held out for early stopping</param>
/// <param name="Folds">k of the k-fold metrics</param>
/// <param name="MinRated">refuse to train with fewer rated tracks</param>
/// <param name="LikeThreshold">a rating at or above it is a "like" (for AUC and P(like))</param>
/// <param name="Seed">seeds folds, weights and dropout</param>
/// <param name="JointMaxEpochs">joint mode: epochs at most per fit (one window of each rated track per epoch)</param>
/// <param name="EncoderLearningRate">joint mode: the encoder's Adam step size, below the head's so the pretrained encoder moves gently</param>
/// <param name="Trees">fasttree and lightgbm: boosting rounds (one tree each)</param>
/// <param name="Leaves">fasttree and lightgbm: leaves per tree at most</param>
/// <param name="MinExamplesPerLeaf">fasttree and lightgbm: rated tracks a leaf needs at least</param>
/// <param name="TreeLearningRate">fasttree and lightgbm: shrinkage of each tree's contribution</param>
public sealed record RatingOptions(
    bool Enabled = true,
    string Encoder = RatingOptions.DefaultEncoder,
    RegressorKind Regressor = RegressorKind.Kernel,
    IReadOnlyList<int>? HiddenUnits = null,
    double Dropout = 0.2,
    int MaxEpochs = 500,
    int Patience = 30,
    double LearningRate = 1e-3,
    double ValidationShare = 0.2,
    int Folds = 5,
    int MinRated = 20,
    double LikeThreshold = 0.8,
    ulong Seed = 1,
    int JointMaxEpochs = 30,
    double EncoderLearningRate = 1e-4,
    int Trees = 100,
    int Leaves = 8,
    int MinExamplesPerLeaf = 3,
    double TreeLearningRate = 0.1)
{
    public const string DefaultEncoder = "dsp+spectral+contrastive";

    public IReadOnlyList<int> HiddenLayers => HiddenUnits ?? [64];
}

/// <summary>Which predictions become recommendations.</summary>
/// <param name="TopN">playlist length at most</param>
/// <param name="MinRating">only tracks predicted at or above it</param>
/// <param name="PerArtistCap">at most this many tracks per artist (null: no cap)</param>
/// <param name="Diversity">maximal marginal relevance weight in [0, 1): 0 ranks by prediction alone; higher values penalise similarity to tracks already chosen</param>
/// <param name="XspfPath">where the playlist goes (null: recommendations.xspf in the output folder)</param>
public sealed record RecommendOptions(int TopN = 100, double MinRating = 0.7, int? PerArtistCap = null, double Diversity = 0, string? XspfPath = null)
{
    /// <summary>The largest top_n and per_artist a job or the command line may ask for.</summary>
    public const int MaxCount = 100_000;

    /// <summary>The largest diversity: at 1 the prediction would count for nothing.</summary>
    public const double MaxDiversity = 0.99;
}
