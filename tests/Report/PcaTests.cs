using SSIS.Batch.Engine.Report;

namespace SSIS.Batch.Tests.Report;

public class PcaTests
{
    /// <summary>
    /// Four points with equal column spreads (std √2.5) and correlation 0.6: the axes are (1, 1)/√2 (eigenvalue 1.6)
    /// and (1, −1)/√2 (0.4), so (2, 2) lies at 4/√5 on the first and 0 on the second, and (1, −1) at 0 and 2/√5.
    /// </summary>
    [Fact]
    public void Projects_standardised_points_on_their_known_principal_axes()
    {
        var points = Pca.Project([[2f, 2f], [-2f, -2f], [1f, -1f], [-1f, 1f]]);

        (double, double)[] expected = [(4 / Math.Sqrt(5), 0), (-4 / Math.Sqrt(5), 0), (0, 2 / Math.Sqrt(5)), (0, -2 / Math.Sqrt(5))];
        foreach (var (actual, wanted) in points.Zip(expected))
        {
            Assert.Equal(wanted.Item1, actual.X, 1e-6);
            Assert.Equal(wanted.Item2, actual.Y, 1e-6);
        }
    }

    /// <summary>Scaling a column changes nothing (each is standardised), and a constant column adds nothing.</summary>
    [Fact]
    public void Column_scale_and_constant_columns_do_not_move_the_points()
    {
        var plain = Pca.Project([[2f, 2f], [-2f, -2f], [1f, -1f], [-1f, 1f]]);
        var scaled = Pca.Project([[200f, 2f, 7f], [-200f, -2f, 7f], [100f, -1f, 7f], [-100f, 1f, 7f]]);

        foreach (var (a, b) in plain.Zip(scaled))
        {
            Assert.Equal(a.X, b.X, 1e-6);
            Assert.Equal(a.Y, b.Y, 1e-6);
        }
    }
}
