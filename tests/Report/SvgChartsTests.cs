using SSIS.Batch.Engine.Report;

namespace SSIS.Batch.Tests.Report;

public class SvgChartsTests
{
    [Theory]
    [InlineData(0, 4)]
    [InlineData(4, 4)]
    [InlineData(5, 8)]
    [InlineData(12, 20)]
    [InlineData(40, 40)]
    [InlineData(231, 400)]
    public void A_count_axis_ends_at_four_round_steps_at_or_above_the_largest_count(int count, int top) =>
        Assert.Equal(top, SvgCharts.CountAxisTop(count));

    [Fact]
    public void Text_in_a_chart_is_html_encoded()
    {
        var svg = SvgCharts.Bars("<b>codecs</b>", [("a&b<script>", 3)]);

        Assert.DoesNotContain("<script>", svg);
        Assert.DoesNotContain("<b>", svg);
        Assert.Contains("a&amp;b&lt;script&gt;", svg);
    }
}
