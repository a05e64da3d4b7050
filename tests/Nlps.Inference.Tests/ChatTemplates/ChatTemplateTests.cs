using Nlps.Inference.ChatTemplates;
using Nlps.Inference.Models;
using Nlps.Inference.Tests.Tokenization;

namespace Nlps.Inference.Tests.ChatTemplates;

public sealed class ChatTemplateTests
{
    // Fragments of the real templates that decide how they render (Meta's 3.1 and 3.2, Qwen2 and Qwen2.5).
    private const string Llama31 = "{{- bos_token }}\n{%- if not date_string is defined %}\n    {%- set date_string = \"26 Jul 2024\" %}\n{%- endif %}\n{{- \"<|start_header_id|>system<|end_header_id|>\\n\\n\" }}\n{{- \"Cutting Knowledge Date: December 2023\\n\" }}";
    private const string Llama32 = "{%- if strftime_now is defined %}\n        {%- set date_string = strftime_now(\"%d %b %Y\") %}\n{{- \"<|start_header_id|>system<|end_header_id|>\\n\\n\" }}\n{{- \"Cutting Knowledge Date: December 2023\\n\" }}";
    private const string Llama30 = "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' %}";
    private const string Qwen2 = "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}";
    private const string Qwen25 = "{%- if messages[0]['role'] == 'system' %}\n        {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}\n    {%- else %}\n        {{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}";

    private static readonly ChatTurn[] Conversation =
    [
        new("system", "  You translate Korean to English.  "),
        new("user", "삼성전자 주가가 3% 올랐다.\n"),
    ];

    [Fact]
    public void Llama31_renders_the_header_with_the_fixed_date_and_trimmed_content()
    {
        string text = Render(Llama31, Conversation);

        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n"
            + "You translate Korean to English.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n삼성전자 주가가 3% 올랐다.<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n",
            text);
    }

    [Fact]
    public void Llama32_uses_todays_date_and_emits_the_system_header_without_a_system_message()
    {
        var clock = new FixedClock(new DateTimeOffset(2025, 3, 5, 10, 0, 0, TimeSpan.Zero));

        string text = Render(Llama32, [new("user", "Hi")], clock);

        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 05 Mar 2025\n\n<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
            text);
    }

    [Fact]
    public void Llama30_has_no_date_header()
    {
        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
            Render(Llama30, [new("user", " Hi ")]));
    }

    [Theory]
    [InlineData(Qwen2, "You are a helpful assistant.")]
    [InlineData(Qwen25, "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.")]
    public void ChatMl_inserts_the_templates_own_default_system_message(string template, string system)
    {
        Assert.Equal(
            $"<|im_start|>system\n{system}<|im_end|>\n<|im_start|>user\n Hi \n<|im_end|>\n<|im_start|>assistant\n",
            Render(template, [new("user", " Hi \n")]));
    }

    [Fact]
    public void ChatMl_keeps_a_given_system_message_and_the_history()
    {
        Assert.Equal(
            "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nA<|im_end|>\n<|im_start|>assistant\nB<|im_end|>\n<|im_start|>user\nC<|im_end|>\n",
            Render(Qwen25, [new("system", "Be brief."), new("user", "A"), new("assistant", "B"), new("user", "C")], addGenerationPrompt: false));
    }

    [Fact]
    public void An_unknown_template_is_refused()
    {
        var error = Assert.Throws<ModelConfigException>(() => ChatTemplateResolver.Recognise("[INST] {{ message }} [/INST]", "tokenizer_config.json"));

        Assert.Contains("not one this engine renders", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Token_ids_equal_encoding_the_whole_rendered_text_with_the_real_llama3_tokenizer()
    {
        var pieces = ChatTemplateResolver.Recognise(Llama31, "t").Render(Conversation, addGenerationPrompt: true);

        List<int> ids = ChatPrompt.Encode(TestAssets.Llama3, pieces);

        Assert.Equal(TestAssets.Llama3.Encode(ChatPrompt.Text(pieces), addSpecialTokens: false), ids);
        Assert.Equal(128000, ids[0]);
        Assert.Equal(1, ids.Count(id => id == 128000)); // no second BOS
    }

    [Fact]
    public void Special_tokens_typed_by_a_user_stay_plain_text()
    {
        var pieces = new Llama3ChatTemplate(dateHeader: false, todayDate: false).Render([new("user", "end<|eot_id|>now")], addGenerationPrompt: false);

        List<int> ids = ChatPrompt.Encode(TestAssets.Llama3, pieces);

        Assert.Equal(1, ids.Count(id => id == 128009)); // only the template's own end of turn
        Assert.Equal("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nend<|eot_id|>now<|eot_id|>", TestAssets.Llama3.Decode(ids.ToArray(), skipSpecialTokens: false));
    }

    [Fact]
    public void The_default_entry_of_a_named_template_list_is_used()
    {
        string folder = Path.Combine(Path.GetTempPath(), "nlps-chat-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var config = new System.Text.Json.Nodes.JsonObject
            {
                ["chat_template"] = new System.Text.Json.Nodes.JsonArray(
                    new System.Text.Json.Nodes.JsonObject { ["name"] = "tool_use", ["template"] = "nonsense" },
                    new System.Text.Json.Nodes.JsonObject { ["name"] = "default", ["template"] = Qwen2 }),
            };
            File.WriteAllText(Path.Combine(folder, ChatTemplateResolver.FileName), config.ToJsonString());

            Assert.IsType<ChatMlTemplate>(ChatTemplateResolver.FromModelFolder(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Render(string template, IReadOnlyList<ChatTurn> messages, TimeProvider? clock = null, bool addGenerationPrompt = true) =>
        ChatPrompt.Text(ChatTemplateResolver.Recognise(template, "tokenizer_config.json", clock).Render(messages, addGenerationPrompt));

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }
}
