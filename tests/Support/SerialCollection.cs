namespace SSIS.Batch.Tests.Support;

/// <summary>Tests that measure the whole process (memory) run alone, after the parallel ones, so other tests' allocations do not count.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial measurements";
}
