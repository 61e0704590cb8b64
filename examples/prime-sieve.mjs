// A few seconds of real CPU work: count primes with a sieve, again and again.
// Usage: node examples/prime-sieve.mjs [seconds=3]
const seconds = Number(process.argv[2] ?? 3);
const limit = 2_000_000;
const deadline = performance.now() + seconds * 1000;

let rounds = 0;
let primes = 0;
while (performance.now() < deadline) {
  const composite = new Uint8Array(limit + 1);
  primes = 0;
  for (let n = 2; n <= limit; n += 1) {
    if (composite[n]) continue;
    primes += 1;
    for (let multiple = n * n; multiple <= limit; multiple += n) composite[multiple] = 1;
  }
  rounds += 1;
}
console.log(`${primes} primes below ${limit}, sieved ${rounds} times in ${seconds} s`);
