using SSIS.Batch.Jobs.Commands;

namespace SSIS.Batch.Tests.Commands;

public class ConsoleTextTests
{
    [Theory]
    [InlineData("/music/plain name.mp3", "/music/plain name.mp3")]
    [InlineData("/music/two\nlines.mp3", "/music/two\\nlines.mp3")]
    [InlineData("/music/a\tb\r\u0007.mp3", "/music/a\\tb\\r\\u0007.mp3")]
    public void A_file_name_s_control_characters_stay_visible_on_one_line(string text, string line) =>
        Assert.Equal(line, ConsoleText.OneLine(text));
}
