using SSIS.Batch.Engine.Report;

namespace SSIS.Batch.Tests.Report;

public class RocCurveTests
{
    [Fact]
    public void Steps_through_the_scores_from_the_highest_with_ties_as_one_diagonal_step()
    {
        var points = RocCurve.Points([true, false, true, false], [0.9, 0.5, 0.5, 0.1]);

        Assert.Equal([(0.0, 0.0), (0.0, 0.5), (0.5, 1.0), (1.0, 1.0)], points);
    }

    [Fact]
    public void Is_empty_when_every_outcome_is_the_same() =>
        Assert.Empty(RocCurve.Points([true, true], [0.2, 0.8]));
}
