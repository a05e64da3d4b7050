using System.Buffers.Binary;
using System.Text;

namespace Nlps.Api.Tests.Models;

/// <summary>A tiny Hugging Face folder: a small llama config.json, tokenizer.json and one safetensors file with real bytes.</summary>
internal static class HfFolder
{
    public const string LlamaConfig = """
        {"model_type": "llama", "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
         "intermediate_size": 128, "vocab_size": 256, "max_position_embeddings": 2048, "tie_word_embeddings": false, "torch_dtype": "bfloat16"}
        """;

    public static string Write(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), LlamaConfig);
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), """{"model": {"type": "BPE", "vocab": {"한국어": 0}}}""");
        byte[] header = Encoding.UTF8.GetBytes("""{"model.embed_tokens.weight": {"dtype": "BF16", "shape": [256, 64], "data_offsets": [0, 32768]}}""");
        using FileStream file = File.Create(Path.Combine(folder, "model.safetensors"));
        byte[] prefix = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        file.Write(prefix);
        file.Write(header);
        file.Write(Enumerable.Range(0, 32768).Select(i => (byte)(i % 253)).ToArray());
        return folder;
    }
}
