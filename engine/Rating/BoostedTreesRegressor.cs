using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace SSIS.Batch.Engine.Rating;

/// <summary>
/// Gradient-boosted regression trees from ML.NET (FastTree, or LightGBM) over the standardised embedding, saved as
/// ML.NET's model zip. Both train with the model seed on the job's worker threads: the same ratings give the same
/// trees in every run (and, in the tests, on one thread and on two).
/// </summary>
public sealed partial class BoostedTreesRegressor
{
    private const string FeaturesColumn = "Features";
    private readonly ITransformer _model;
    private readonly DataViewSchema _inputSchema;
    private readonly PredictionEngine<Example, Scored> _engine;

    /// <summary>One rated track as ML.NET reads it; the vector's length is set per model by <see cref="Schema"/>.</summary>
    public sealed class Example
    {
        public float Label;
        [ColumnName(FeaturesColumn)] public float[] Features = [];
    }

    public sealed class Scored
    {
        [ColumnName("Score")] public float Value;
    }

    private BoostedTreesRegressor(MLContext context, ITransformer model, DataViewSchema inputSchema)
    {
        (_model, _inputSchema) = (model, inputSchema);
        var dimension = ((VectorDataViewType)inputSchema[FeaturesColumn].Type).Size;
        _engine = context.Model.CreatePredictionEngine<Example, Scored>(model, inputSchemaDefinition: Schema(dimension));
    }

    /// <summary>Predicted rating, clamped to [0, 1] like the other regressors (boosting may overshoot the labels a little).</summary>
    public double Predict(float[] x) => Math.Clamp(_engine.Predict(new Example { Features = x }).Value, 0, 1);

    public static BoostedTreesRegressor Fit(IReadOnlyList<float[]> x, IReadOnlyList<double> y, RatingOptions options, int threads)
    {
        var seed = (int)(options.Seed % int.MaxValue);
        var context = new MLContext(seed);
        var data = context.Data.LoadFromEnumerable(x.Zip(y, (features, rating) => new Example { Features = features, Label = (float)rating }).ToList(),
            Schema(x[0].Length));
        IEstimator<ITransformer> trainer = options.Regressor switch
        {
            RegressorKind.FastTree => context.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
            {
                NumberOfTrees = options.Trees, NumberOfLeaves = options.Leaves, MinimumExampleCountPerLeaf = options.MinExamplesPerLeaf,
                LearningRate = options.TreeLearningRate, NumberOfThreads = threads, Seed = seed,
            }),
            RegressorKind.LightGbm => LightGbm(context, options, seed, threads),
            _ => throw new ArgumentException($"{options.Regressor} is not a boosted-trees regressor."),
        };
        return new BoostedTreesRegressor(context, trainer.Fit(data), data.Schema);
    }

    private static IEstimator<ITransformer> LightGbm(MLContext context, RatingOptions options, int seed, int threads)
    {
        PreferPassiveOpenMpThreads();
        return context.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
        {
            NumberOfIterations = options.Trees, NumberOfLeaves = options.Leaves, MinimumExampleCountPerLeaf = options.MinExamplesPerLeaf,
            LearningRate = options.TreeLearningRate, NumberOfThreads = threads, Seed = seed,
        });
    }

    /// <summary>ML.NET's model zip: the trees and the input schema.</summary>
    public byte[] ToZip()
    {
        using var zip = new MemoryStream();
        new MLContext().Model.Save(_model, _inputSchema, zip);
        return zip.ToArray();
    }

    public static BoostedTreesRegressor FromZip(byte[] zip)
    {
        var context = new MLContext();
        using var stream = new MemoryStream(zip, writable: false);
        var model = context.Model.Load(stream, out var inputSchema);
        return new BoostedTreesRegressor(context, model, inputSchema);
    }

    private static SchemaDefinition Schema(int dimension)
    {
        var schema = SchemaDefinition.Create(typeof(Example));
        schema[FeaturesColumn].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
        return schema;
    }

    /// <summary>
    /// LightGBM's OpenMP runtime (libgomp) otherwise keeps idle threads spinning, which on 2 cores made training
    /// 7–17× slower (README, "Boosted trees"). libgomp reads OMP_WAIT_POLICY once, when lib_lightgbm loads it, from
    /// the native environment: on Unix .NET's Environment.SetEnvironmentVariable does not reach that (measured: no
    /// effect), libc's setenv does; on Windows .NET's own call sets the process environment. A value the user
    /// exported wins.
    /// </summary>
    private static void PreferPassiveOpenMpThreads()
    {
        if (OperatingSystem.IsWindows())
        {
            if (Environment.GetEnvironmentVariable(OpenMpWaitPolicy) is null) Environment.SetEnvironmentVariable(OpenMpWaitPolicy, "PASSIVE");
        }
        else if (SetEnv(OpenMpWaitPolicy, "PASSIVE", overwrite: 0) != 0)
            throw new InvalidOperationException($"setenv({OpenMpWaitPolicy}) failed: {Marshal.GetLastPInvokeErrorMessage()}");
    }

    private const string OpenMpWaitPolicy = "OMP_WAIT_POLICY";

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
